import type { Metadata } from "next";
import { UserList } from "@/components/users/UserList";

export const metadata: Metadata = { title: "Users · Access · OpenCMQ" };

export default function UsersPage() {
  return <UserList />;
}
