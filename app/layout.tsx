import type { Metadata } from "next";
import type { ReactNode } from "react";
import { themeScript } from "@/lib/client/theme-script";
import "./globals.css";

export const metadata: Metadata = { title: "OpenCMQ", description: "Self-hosted message queues" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets data-theme before React hydrates: the attribute differs from the server's on purpose.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of ours, run before the first paint */}
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
