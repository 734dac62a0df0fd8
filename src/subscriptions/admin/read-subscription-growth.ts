import type { AppContext } from '../../platform/context.ts';

export interface GrowthMonth {
  /** "2026-03" */
  month: string;
  confirmed: number;
  unsubscribed: number;
}

export const GROWTH_MONTHS = 12;

/** The `count` calendar months (UTC, as the triggers file them) ending with the one `now` is in, oldest first. */
export function monthsEndingAt(now: Date, count = GROWTH_MONTHS): string[] {
  const months: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    months.push(`${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}

/**
 * Confirmations and unsubscribes per month over the last twelve months (by the context's clock),
 * from the table the triggers keep: at most twelve rows read. Months nobody joined or left are zero.
 */
export async function readSubscriptionGrowth(ctx: AppContext): Promise<GrowthMonth[]> {
  const months = monthsEndingAt(ctx.clock.now());
  const rows = await ctx.db
    .selectFrom('subscription_growth')
    .select(['month', 'confirmed', 'unsubscribed'])
    .where('month', '>=', months[0]!)
    .where('month', '<=', months.at(-1)!)
    .execute();
  const byMonth = new Map(rows.map((row) => [row.month, row]));
  return months.map((month) => {
    const row = byMonth.get(month);
    return { month, confirmed: Number(row?.confirmed ?? 0), unsubscribed: Number(row?.unsubscribed ?? 0) };
  });
}
