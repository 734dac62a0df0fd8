import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { startSmtpServer } from '../../../test/support/smtp-server.ts';
import { loadConfig } from '../../config.ts';
import { bulkPoolOptions } from '../../platform/mail/bulk-transport.ts';
import { getSiteSettings, saveSiteSettings } from '../../platform/settings/site-settings.ts';
import { DKIM_SIGNED_FIELDS, dkimSigningOptions } from './dkim.ts';
import { prepareMessages } from './prepare-messages.ts';
import { compileAndStore, DEMO_SOURCES, insertCampaign, topicIds } from './test-support.ts';

// The signature is checked by an independent verifier (mailauth), which looks the public key up
// through a DNS resolver stub that serves only our selector's TXT record.

const DOMAIN = 'example.gov';
const SELECTOR = 'dispatch2026';

let dir: string;
let keyFile: string;
let publicKeyRecord: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dispatch-dkim-'));
  keyFile = path.join(dir, 'dkim.pem');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  publicKeyRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function resolver(name: string, type: string): Promise<string[][]> {
  if (type === 'TXT' && name === `${SELECTOR}._domainkey.${DOMAIN}`) return [[publicKeyRecord]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
}

async function verify(raw: string) {
  const { results } = await dkimVerify(raw, { resolver });
  return results;
}

describe('dkimSigningOptions', () => {
  it('is undefined without DKIM settings, and names every header the signature must cover', () => {
    expect(dkimSigningOptions(loadConfig({ NODE_ENV: 'test' }))).toBeUndefined();
    const options = dkimSigningOptions(
      loadConfig({ NODE_ENV: 'test', DKIM_DOMAIN: DOMAIN, DKIM_SELECTOR: SELECTOR, DKIM_PRIVATE_KEY_FILE: keyFile }),
    );
    expect(options).toMatchObject({ domainName: DOMAIN, keySelector: SELECTOR });
    expect(options?.privateKey).toContain('PRIVATE KEY');
    for (const field of ['From', 'Subject', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Id', 'Feedback-ID']) {
      expect(DKIM_SIGNED_FIELDS.split(':')).toContain(field);
    }
  });

  it('refuses a key file that holds no RSA private key', () => {
    const ed25519 = path.join(dir, 'ed25519.pem');
    writeFileSync(ed25519, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const config = loadConfig({ NODE_ENV: 'test', DKIM_DOMAIN: DOMAIN, DKIM_SELECTOR: SELECTOR, DKIM_PRIVATE_KEY_FILE: ed25519 });
    expect(() => dkimSigningOptions(config)).toThrow(/RSA private key/);
  });
});

describeEachDatabase('DKIM signing of bulk mail', ({ handle }) => {
  let running: TestApp | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
    await running?.app.close();
    running = undefined;
  });

  it('nodemailer signs the pre-built raw message at the transport, and an independent verifier accepts it', async () => {
    running = await createTestApp(handle(), {
      env: { PUBLIC_URL: 'https://dispatch.example.gov', DKIM_DOMAIN: DOMAIN, DKIM_SELECTOR: SELECTOR, DKIM_PRIVATE_KEY_FILE: keyFile },
    });
    const { ctx } = running;
    await saveSiteSettings(ctx.db, ctx.clock, {
      ...(await getSiteSettings(ctx.db)),
      bulletinFrom: `Community Policing Dispatch <dispatch@${DOMAIN}>`,
    });
    const topics = await topicIds(ctx);
    const campaign = await compileAndStore(
      ctx,
      await insertCampaign(ctx, {
        sourceType: 'article',
        sourceId: DEMO_SOURCES.article,
        subject: 'Signed — ✓',
        topicIds: [topics.dispatch!],
      }),
    );
    const message = (await prepareMessages(ctx, campaign)).render({
      subscriberId: randomUUID(),
      email: 'pat@example.org',
      topicId: topics.dispatch!,
    });
    expect(message.raw).not.toContain('DKIM-Signature');

    // The bulk transport's own pool settings, plus the signing options: what the engine sends through.
    const smtp = await startSmtpServer();
    cleanups.push(smtp.close);
    const transport = nodemailer.createTransport({
      ...bulkPoolOptions(`smtp://127.0.0.1:${smtp.port}`, 1),
      dkim: dkimSigningOptions(ctx.config),
    });
    cleanups.push(async () => transport.close());
    await transport.sendMail({ envelope: { from: message.envelopeFrom, to: [message.to] }, raw: message.raw });
    const received = smtp.received[0]!.raw;

    expect(received).toMatch(/^DKIM-Signature: /);
    // Apart from the signature on top, the message arrives byte for byte as built.
    expect(received.slice(received.indexOf('\r\nFrom: ') + 2)).toBe(message.raw);
    const [result] = await verify(received);
    expect(result?.status.result).toBe('pass');
    expect(result?.signingDomain).toBe(DOMAIN);
    const signature = /^DKIM-Signature: ([\s\S]*?)\r\n(?![ \t])/.exec(received)?.[1]?.replace(/\r\n[ \t]+/g, ' ') ?? '';
    const signed = (/\bh=([^;]+)/.exec(signature)?.[1] ?? '').replace(/\s+/g, '').toLowerCase().split(':');
    for (const field of ['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'feedback-id', 'message-id']) {
      expect(signed).toContain(field);
    }

    // A changed signed header or a changed body breaks the signature.
    const forgedHeader = received.replace(/^Feedback-ID: .*$/m, 'Feedback-ID: 1:x:bulletin:other');
    expect((await verify(forgedHeader))[0]?.status.result).toBe('fail');
    // (A body that no longer matches bh= is "neutral" to mailauth: not a pass either way.)
    const forgedBody = received.replace('Washington, DC 20530', 'Washington, DC 20531');
    expect(forgedBody).not.toBe(received);
    expect((await verify(forgedBody))[0]?.status.result).not.toBe('pass');
  });
});
