import type { Principal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/prisma";
import type { Me } from "@/lib/schemas/access";

/** Who the caller is and what they may do: the console hides what `access` does not allow. */
export async function getMe(principal: Principal): Promise<Me> {
  const user = await getPrisma().user.findUniqueOrThrow({
    where: { id: principal.userId },
    include: { account: true },
  });
  return {
    user: { id: user.id, email: user.email, name: user.name, role: principal.access.role },
    account: { id: user.account.id, name: user.account.name },
    via: principal.via,
    access: principal.access,
  };
}
