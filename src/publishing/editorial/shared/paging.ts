/** Rows per page in the admin lists. */
export const ADMIN_PAGE_SIZE = 25;

export function pageCountOf(total: number, size = ADMIN_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

export function offsetOf(page: number, size = ADMIN_PAGE_SIZE): number {
  return (page - 1) * size;
}
