/** Escapes LIKE/ILIKE wildcards so user input matches literally (Prisma's `contains` does not). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");
