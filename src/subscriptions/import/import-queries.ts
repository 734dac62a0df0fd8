import type { AppContext } from '../../platform/context.ts';
import type { SubscriberImportStatus } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';

/** Rejected lines per page of an import report. */
export const REJECTIONS_PER_PAGE = 100;

export interface ImportSummary {
  id: string;
  fileName: string;
  status: SubscriberImportStatus;
  totalRows: number;
  validRows: number;
  rejectedRows: number;
  importedRows: number;
  updatedRows: number;
  skippedRows: number;
  /** Of the imported rows, those mailed a confirmation link (known once imported). */
  pendingConfirmation: number | null;
  error: string | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface RejectionPage {
  rejections: { line: number; reason: string }[];
  page: number;
  pageCount: number;
}

/** Why an import in this state cannot be imported or discarded now. */
export function conflictMessage(status: SubscriberImportStatus): string {
  switch (status) {
    case 'imported':
      return 'This file has already been imported. Its rows cannot be imported a second time.';
    case 'discarded':
      return 'Nothing was imported from this file, as chosen. To import it after all, check the file again.';
    case 'failed':
      return 'This file could not be checked, so nothing can be imported from it. Correct it and check it again.';
    case 'importing':
      return 'This file is being imported right now. Reload the report in a moment.';
    default:
      return 'This file is still being checked. Reload the report in a moment.';
  }
}

const summaryColumns = [
  'id',
  'file_name',
  'status',
  'total_rows',
  'valid_rows',
  'rejected_rows',
  'imported_rows',
  'updated_rows',
  'skipped_rows',
  'error',
  'created_by',
  'created_at',
  'finished_at',
] as const;

type SummaryRow = {
  id: string;
  file_name: string;
  status: SubscriberImportStatus;
  total_rows: number;
  valid_rows: number;
  rejected_rows: number;
  imported_rows: number;
  updated_rows: number;
  skipped_rows: number;
  error: string | null;
  created_by: string;
  created_at: string;
  finished_at: string | null;
};

function summaryOf(row: SummaryRow, pendingConfirmation: number | null): ImportSummary {
  return {
    id: row.id,
    fileName: row.file_name,
    status: row.status,
    totalRows: Number(row.total_rows),
    validRows: Number(row.valid_rows),
    rejectedRows: Number(row.rejected_rows),
    importedRows: Number(row.imported_rows),
    updatedRows: Number(row.updated_rows),
    skippedRows: Number(row.skipped_rows),
    pendingConfirmation,
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/**
 * How many of an import's new subscribers were asked to confirm. The import table has no column for
 * it, so it is read from the audit entry the import wrote (which is append-only, so it stays right).
 */
async function pendingConfirmationOf(ctx: AppContext, importId: string): Promise<number | null> {
  const entry = await ctx.db
    .selectFrom('audit_log')
    .select('details')
    .where('subject_type', '=', 'subscriber_import')
    .where('subject_id', '=', importId)
    .where('action', '=', 'subscribers.import.imported')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!entry) return null;
  try {
    const value = (JSON.parse(entry.details) as { pendingConfirmation?: unknown }).pendingConfirmation;
    return typeof value === 'number' ? value : null;
  } catch {
    return null;
  }
}

/** One import's counts and state, or a 404. */
export async function getImport(ctx: AppContext, importId: string): Promise<ImportSummary> {
  const row = await ctx.db.selectFrom('subscriber_imports').select(summaryColumns).where('id', '=', importId).executeTakeFirst();
  if (!row) throw notFound('That import');
  return summaryOf(row, row.status === 'imported' ? await pendingConfirmationOf(ctx, importId) : null);
}

/** One page of an import's rejected lines, in line order. */
export async function listRejections(ctx: AppContext, summary: ImportSummary, page: number): Promise<RejectionPage> {
  const pageCount = Math.max(1, Math.ceil(summary.rejectedRows / REJECTIONS_PER_PAGE));
  const current = Math.min(page, pageCount);
  const rows = await ctx.db
    .selectFrom('subscriber_import_rejections')
    .select(['line', 'reason'])
    .where('import_id', '=', summary.id)
    .orderBy('line')
    .limit(REJECTIONS_PER_PAGE)
    .offset((current - 1) * REJECTIONS_PER_PAGE)
    .execute();
  return { rejections: rows.map((r) => ({ line: Number(r.line), reason: r.reason })), page: current, pageCount };
}

/** The first rejected lines of an import, for the CLI's report. */
export async function firstRejections(ctx: AppContext, importId: string, limit: number) {
  const rows = await ctx.db
    .selectFrom('subscriber_import_rejections')
    .select(['line', 'reason'])
    .where('import_id', '=', importId)
    .orderBy('line')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ line: Number(r.line), reason: r.reason }));
}

/** The newest imports, for the imports list. */
export async function listRecentImports(ctx: AppContext, limit = 50): Promise<ImportSummary[]> {
  const rows = await ctx.db.selectFrom('subscriber_imports').select(summaryColumns).orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((row) => summaryOf(row, null));
}
