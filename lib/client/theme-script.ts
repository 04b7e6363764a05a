// Kept apart from ./theme.ts (which uses React hooks) so the root layout, a server component, can
// inline it.

export const themeStorageKey = "opencmq.theme";

/** Runs inline in <head>: the same resolution as resolveTheme, before React loads. */
export const themeScript = `(function(){try{var c=localStorage.getItem(${JSON.stringify(themeStorageKey)});var d=c==="dark"||(c!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.dataset.theme=d?"dark":"light"}catch(e){}})()`;
