// Numeric settings from the environment: a value that is not a positive integer falls back to the
// default (the README's configuration table lists each setting and its default).
export function positiveIntSetting(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
