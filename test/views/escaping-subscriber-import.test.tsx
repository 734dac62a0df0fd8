import { describe } from 'vitest';
import type { SubscriberImportStatus } from '../../src/platform/db/schema.ts';
import type { ImportSummary } from '../../src/subscriptions/import/import-queries.ts';
import { ImportListPage, ImportReportPage, ImportUploadPage } from '../../src/subscriptions/import/views/import-pages.tsx';
import { checkTemplates, context, pick, type Sample } from './markup.ts';
import { at, hostileSettings } from './rows.ts';

// The subscriber import: file names, rejection reasons (which quote the file's own text), topic
// names and the staff member's address are all shown back to administrators.

const ctx = (s: Sample, path: string) => context(hostileSettings(s), s.name, path);
const statuses: SubscriberImportStatus[] = ['validating', 'ready', 'importing', 'imported', 'discarded', 'failed'];

function summary(s: Sample): ImportSummary {
  const status = pick(s, statuses);
  return {
    id: s.slug,
    fileName: s.title,
    status,
    totalRows: 1200,
    validRows: pick(s, [0, 1, 1000], 8),
    rejectedRows: pick(s, [0, 200], 16),
    importedRows: 900,
    updatedRows: 80,
    skippedRows: 20,
    pendingConfirmation: pick(s, [null, 0, 300], 32),
    error: pick(s, [null, s.text], 64),
    createdBy: s.email,
    createdAt: at,
    finishedAt: pick(s, [null, at], 128),
  };
}

describe('the subscriber import pages escape file names, reasons and topic names', () => {
  checkTemplates({
    'upload page': (s) =>
      ImportUploadPage({
        ctx: ctx(s, '/admin/subscribers/import'),
        topics: [
          { slug: s.slug, name: s.name, visibility: 'public' },
          { slug: 'dispatch', name: s.other, visibility: 'private' },
        ],
        maxUploadSize: '200 MB',
        errors: pick(s, [undefined, { file: s.text }], 4),
      }),
    'report page': (s) =>
      ImportReportPage({
        ctx: ctx(s, `/admin/subscribers/import/${s.slug}`),
        summary: summary(s),
        rejections: {
          rejections: [
            { line: 2, reason: s.text },
            { line: 3, reason: `Unknown topic "${s.other}".` },
          ],
          page: pick(s, [1, 2], 256),
          pageCount: 2,
        },
        notice: pick(s, [undefined, 'imported', 'discarded'] as const, 512),
      }),
    'imports list': (s) =>
      ImportListPage({ ctx: ctx(s, '/admin/subscribers/imports'), imports: [summary(s), { ...summary(s), id: s.other }] }),
  });
});
