import type { Metadata } from "next";
import { AccountOverview } from "@/components/account/AccountOverview";

export const metadata: Metadata = { title: "Your account · OpenCMQ" };

export default function AccountPage() {
  return <AccountOverview />;
}
