import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { completeSetup } from '../../src/accounts/complete-setup.ts';
import { issueSetupLink } from '../../src/accounts/issue-setup-link.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/platform/clock.ts';
import type { AppContext } from '../../src/platform/context.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import type { StaffRole } from '../../src/platform/db/schema.ts';
import { buildApp, type FeatureRoutes } from '../../src/platform/http/app.ts';
import { createRuntime, features } from '../../src/server.ts';
import { seedInstallation } from '../../src/start.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
}

/**
 * The real application on a test database: every feature, real security plugins, the dev mailbox.
 * `env` overrides the environment (e.g. PUBLIC_URL to leave localhost demo mode).
 */
export async function createTestApp(
  database: DatabaseHandle,
  options: { env?: Record<string, string>; clock?: Clock; extraRoutes?: FeatureRoutes[] } = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env });
  const runtime = createRuntime(config, { database, clock: options.clock, logger: pino({ level: 'silent' }) });
  await seedInstallation(runtime.ctx);
  const app = await buildApp(runtime.ctx, [...features, ...(options.extraRoutes ?? [])]);
  return { app, ctx: runtime.ctx };
}

/** Creates an active staff account through the real setup path and returns its credentials. */
export async function createStaff(
  ctx: AppContext,
  role: StaffRole,
  email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.gov`,
) {
  const password = 'correct horse battery staple 42';
  const link = await issueSetupLink(ctx, { email, role, actor: 'test' });
  const token = link.url.split('/setup/')[1] as string;
  const { userId } = await completeSetup(ctx, { token, displayName: `Test ${role}`, password });
  return { email, password, userId };
}

/**
 * A tiny browser for inject(): keeps cookies, and fetches a page's CSRF token before a post,
 * as a person's browser would.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  ip = '127.0.0.1';

  constructor(private readonly app: FastifyInstance) {}

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const cookieHeader = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await this.app.inject({
      remoteAddress: this.ip,
      ...options,
      headers: { ...(cookieHeader ? { cookie: cookieHeader } : {}), ...(options.headers ?? {}) },
    });
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now()) || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  /** GETs `formPage`, takes its CSRF token, and posts `fields` to `action`. */
  async submit(formPage: string, action: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const page = await this.get(formPage);
    const token = csrfTokenIn(page.body);
    return this.post(action, { _csrf: token, ...fields }, headers);
  }

  post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request({
      method: 'POST',
      url,
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  async signIn(email: string, password: string) {
    return this.submit('/login', '/login', { email, password });
  }
}

/** The CSRF token of the first form on a page. */
export function csrfTokenIn(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match?.[1]) throw new Error('No CSRF token on the page');
  return match[1];
}

/** A page body with the per-request secrets (CSRF tokens, CSP nonces) blanked, for comparisons. */
export function withoutPerRequestSecrets(html: string): string {
  return html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""').replace(/nonce="[^"]+"/g, 'nonce=""');
}
