"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/Button";

export function SignOutButton() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [isPending, setIsPending] = useState(false);

  const onClick = async () => {
    setIsPending(true);
    // redirect: false — next-auth would otherwise redirect to NEXTAUTH_URL's host, which may not be
    // the one the user browses on.
    await signOut({ redirect: false });
    queryClient.clear();
    router.replace("/login");
    router.refresh();
  };

  return (
    <Button size="sm" variant="ghost" onClick={onClick} isPending={isPending} data-testid="sign-out">
      Sign out
    </Button>
  );
}
