import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { Browser, createStaff, createTestApp, csrfTokenIn } from '../../../test/support/app.ts';
import { totpBox } from '../../accounts/verify-second-factor.ts';
import { currentTotp } from '../../platform/auth/totp.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { ArticleForm } from './articles/article-form.ts';
import { emptyArticleForm } from './articles/article-form.ts';
import type { Actor } from './shared/actor.ts';

// Helpers for the editorial tests (not a test file itself).

export const editorActor: Actor = { userId: 'user-editor', email: 'editor@example.gov', mayPublish: false };
export const publisherActor: Actor = { userId: 'user-publisher', email: 'publisher@example.gov', mayPublish: true };

/** The real app with DATA_DIR in a fresh temporary folder (uploads land there). */
export async function editorialTestApp(database: DatabaseHandle, options: { clock?: Clock; env?: Record<string, string> } = {}) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dispatch-editorial-'));
  const test = await createTestApp(database, { clock: options.clock, env: { DATA_DIR: dataDir, ...options.env } });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await test.app.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  // Also when the test fails before its own close().
  onTestFinished(close);
  return { ...test, dataDir, close };
}

/**
 * A signed-in browser for a new staff member. Publishers and admins enrol an authenticator in the
 * same session (as a person would), which counts as their second factor.
 */
export async function signedIn(app: FastifyInstance, ctx: AppContext, role: 'editor' | 'publisher' | 'admin') {
  const staff = await createStaff(ctx, role);
  const browser = new Browser(app);
  const response = await browser.signIn(staff.email, staff.password);
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`);
  if (role !== 'editor') {
    const enrolPage = await browser.get('/account/second-factor');
    const sealed = enrolPage.body.match(/name="enrolment" value="([^"]+)"/)?.[1] ?? '';
    const code = currentTotp(totpBox(ctx).open(sealed), ctx.clock.now());
    const enrolled = await browser.post('/account/second-factor', { _csrf: csrfTokenIn(enrolPage.body), enrolment: sealed, code });
    if (enrolled.statusCode !== 303) throw new Error(`enrolment failed with ${enrolled.statusCode}`);
  }
  return { browser, ...staff };
}

/** GETs `page` for its CSRF token, then posts the pairs (repeated names allowed, e.g. topics). */
export async function submitPairs(browser: Browser, page: string, action: string, pairs: [string, string][]) {
  const token = csrfTokenIn((await browser.get(page)).body);
  return browser.request({
    method: 'POST',
    url: action,
    payload: new URLSearchParams([['_csrf', token], ...pairs]).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** A valid article form with overrides. */
export function articleForm(overrides: Partial<ArticleForm> = {}): ArticleForm {
  return {
    ...emptyArticleForm,
    title: 'Community Policing in Rural Counties',
    summary: 'How small agencies build partnerships.',
    body: 'Rural agencies **share** resources.\n\n## Lessons\n\nStart small.',
    authors: 'Jane Doe, John Roe',
    ...overrides,
  };
}

/** The article form as posted fields. */
export function articlePairs(form: ArticleForm, intent = 'save'): [string, string][] {
  return [
    ['title', form.title],
    ['slug', form.slug],
    ['summary', form.summary],
    ['body', form.body],
    ['authors', form.authors],
    ['issueId', form.issueId],
    ['position', form.position],
    ...form.topics.map((t): [string, string] => ['topics', t]),
    ['additionalResources', form.additionalResources],
    ...(form.showDisclaimer ? [['showDisclaimer', 'on'] as [string, string]] : []),
    ['imageAlt', form.imageAlt],
    ['intent', intent],
  ];
}

/** A multipart/form-data body with text fields and at most one file. */
export function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; fileName: string; contentType: string; data: Buffer },
) {
  const boundary = `----dispatch-test-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.fileName}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The smallest valid PNG (1×1, transparent). */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
