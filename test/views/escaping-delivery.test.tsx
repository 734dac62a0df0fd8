import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { archivedBulletinHtml } from '../../src/delivery/archive/bulletin-html.ts';
import { BulletinArchivePage, BulletinPage } from '../../src/delivery/archive/views/bulletin-pages.tsx';
import {
  articleBulletin,
  type CampaignSite,
  eventReminder,
  issueBulletin,
  monthlyDigest,
} from '../../src/delivery/messages/campaign-content.ts';
import { compileMjml } from '../../src/delivery/messages/compile-campaign.ts';
import { type EmailDocument, emailMjml, emailText } from '../../src/delivery/messages/email-layout.ts';
import { escapeHtml, markup } from '../../src/delivery/messages/markup.ts';
import { buildMessageTemplate } from '../../src/delivery/messages/message-template.ts';
import { fillSlots, publicSlotValues, slotMarkers } from '../../src/delivery/messages/slots.ts';
import type { CampaignKind } from '../../src/platform/db/schema.ts';
import { checkTemplates, context, expectNoInjectedMarkup, pick, type Sample, sample } from './markup.ts';
import { articleRow, eventRow, hostileSettings, issueRow, topicRow } from './rows.ts';

// The e-mail templates (MJML and plain text), the MIME message built from them, and the public
// archive pages, each given a hostile value in every field they show.

const PUBLIC_URL = 'https://dispatch.example.gov';
const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const CAMPAIGN_ID = 42;
const markers = slotMarkers(SECRET, CAMPAIGN_ID);
const links = {
  unsubscribeUrl: `${PUBLIC_URL}/unsubscribe/8OFwc-vPQm6AFNc41oprm42o0LroDUlDqK0fxKCbryA.DDIwgUZWgEv1HQA5RW43ws7w9DUA0XV6aRMIkmvL0zo`,
  preferencesUrl: `${PUBLIC_URL}/preferences/open/8OFwc-vPQm6AFNc41oprmw.yEYJrM3oefXj7j5K98e3CBo8MfvSKT8EG-NTUkOvuD8`,
};

function site(s: Sample): CampaignSite {
  const settings = hostileSettings(s);
  return {
    publicUrl: PUBLIC_URL,
    siteName: settings.siteName,
    tagline: settings.tagline,
    agencyName: settings.agencyName,
    officeName: settings.officeName,
    streetAddress: settings.streetAddress,
    cityStateZip: settings.cityStateZip,
    opinionDisclaimer: settings.opinionDisclaimer,
  };
}

const frame = (s: Sample) => ({ subject: s.title, reason: s.summary });

/** Every kind of campaign, from hostile rows. */
const documents: Record<CampaignKind | 'issue', (s: Sample) => EmailDocument> = {
  bulletin: (s) =>
    articleBulletin(
      {
        article: articleRow(s, { image_upload_id: pick(s, [s.text, null], 2), show_disclaimer: pick(s, [0, 1], 4) }),
        issue: pick(s, [issueRow(), undefined], 8),
        topics: [topicRow(s)],
        events: [eventRow(s), eventRow(s, { id: 'e2', kind: 'in_person', title: s.other })],
      },
      site(s),
      frame(s),
    ),
  issue: (s) =>
    issueBulletin(
      {
        issue: issueRow(),
        articles: [articleRow(s, { id: 'lead' }), articleRow(s, { id: 'second', slug: s.name, title: s.other, summary: s.text })],
        events: [eventRow(s, { article_id: 'lead' }), eventRow(s, { id: 'e2', article_id: 'second', kind: 'webinar', title: s.name })],
        topics: new Map(),
      },
      site(s),
      frame(s),
    ),
  digest: (s) => monthlyDigest({ month: '2024-01', articles: [articleRow(s)], events: pick(s, [[eventRow(s)], []], 2) }, site(s), frame(s)),
  reminder: (s) =>
    eventReminder(
      {
        event: eventRow(s, { kind: pick(s, ['x_chat', 'webinar', 'in_person'] as const) }),
        article: pick(s, [{ slug: s.slug, title: s.title }, undefined], 3),
        topics: [],
      },
      site(s),
      frame(s),
    ),
};

// MJML's own Outlook conditional comments; no user text can open a comment (every "<" is escaped).
const MJML_COMMENTS = /<!--\[if [^\]]*\]>[\s\S]*?<!\[endif\]-->|<!--\[if !mso\]><!-->|<!--<!\[endif\]-->/g;

/** The compiled e-mail's title and body, checked like a page: nothing from the input became markup. */
function expectSafeEmailHtml(html: string) {
  const title = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '';
  expect(title).not.toContain('<');
  const body = /<body[^>]*>[\s\S]*<\/body>/.exec(html)?.[0] ?? '';
  expect(body).not.toBe('');
  expectNoInjectedMarkup(body.replace(MJML_COMMENTS, ''));
  expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
  for (const img of html.match(/<img\b[^>]*>/g) ?? []) expect(img).toMatch(/\salt="[^"]*"/);
}

describe('e-mail templates escape user-controlled text', () => {
  it('the markup tag escapes values and keeps markup it built', () => {
    fc.assert(
      fc.property(sample, (s) => {
        expect(markup`<p title="${s.title}">${s.text}</p>`.html).toBe(`<p title="${escapeHtml(s.title)}">${escapeHtml(s.text)}</p>`);
        expect(markup`<div>${markup`<b>${s.name}</b>`}</div>`.html).toBe(`<div><b>${escapeHtml(s.name)}</b></div>`);
        expect(escapeHtml(s.text)).not.toMatch(/[<>"']/);
      }),
    );
  });

  for (const [kind, build] of Object.entries(documents)) {
    it(`${kind}: the compiled HTML carries no markup from the content, and the MIME message decodes to exactly what was compiled`, async () => {
      await fc.assert(
        fc.asyncProperty(sample, async (s) => {
          const document = build(s);
          const html = await compileMjml(emailMjml(document, site(s), markers));
          const text = emailText(document, site(s), markers);
          expectSafeEmailHtml(html);
          for (const part of [html, text]) {
            expect(part).toContain(markers.unsubscribeUrl);
            expect(part).toContain(markers.preferencesUrl);
          }

          const template = buildMessageTemplate({
            campaignId: CAMPAIGN_ID,
            kind: 'bulletin',
            subject: s.title,
            html,
            text,
            markers,
            from: 'Community Policing Dispatch <dispatch@example.gov>',
            topics: new Map([['topic', { slug: s.slug, name: s.name }]]),
            fallbackTopic: { slug: 'bulletins', name: 'Bulletins' },
            bounceAddress: undefined,
            publicLinks: publicSlotValues(PUBLIC_URL),
            linksFor: () => links,
            tokenFor: () => 'a7yoc4dt5phue3uactltrvuknontzc6rm2dmgxv5rqtbzjes5lpva',
            now: () => new Date('2024-01-10T15:00:00.000Z'),
          });
          const { raw } = template.render({ subscriberId: 'subscriber', email: 'pat@example.org', topicId: 'topic' });
          expect(raw.replace(/\r\n/g, ''), 'CRLF line ends only').not.toMatch(/[\r\n]/);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for anything but printable ASCII, tab and CRLF.
          expect(raw).toMatch(/^[\x09\x0d\x0a\x20-\x7e]*$/);
          const [head, ...body] = raw.split('\r\n\r\n');
          for (const line of head!.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
          for (const line of body.join('\r\n\r\n').split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
          expect(
            head!
              .split('\r\n')
              .filter((line) => /^[A-Za-z-]+:/.test(line))
              .map((line) => line.split(':')[0]),
          ).toEqual([
            'From',
            'To',
            'Subject',
            'Date',
            'Message-ID',
            'MIME-Version',
            'Content-Type',
            'List-Id',
            'Feedback-ID',
            'List-Unsubscribe',
            'List-Unsubscribe-Post',
            'X-Dispatch-Delivery',
          ]);
          const mail = await simpleParser(raw);
          expect(mail.text?.trimEnd()).toBe(fillSlots(text, markers, links, { html: false }).replace(/\r\n?/g, '\n').trimEnd());
          expect(String(mail.html).trimEnd()).toBe(fillSlots(html, markers, links, { html: true }).trimEnd());
          expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('pat@example.org');
        }),
        { numRuns: 25 },
      );
    });
  }
});

describe('the public bulletin archive escapes what it shows', () => {
  const ctx = (s: Sample, path = '/bulletins') => ({ ...context(hostileSettings(s), s.name, path), viewer: null });
  const at = '2024-02-01T14:00:00.000Z';
  checkTemplates(
    {
      'bulletin archive': (s) =>
        BulletinArchivePage({
          ctx: ctx(s),
          listing: {
            bulletins: [
              { id: 1, kind: 'bulletin', subject: s.title, sentAt: at },
              { id: 2, kind: pick(s, ['digest', 'reminder', s.text] as CampaignKind[]), subject: s.other, sentAt: at },
            ],
            page: 1 + (s.variant % 3),
            pageCount: 3,
            total: 45,
          },
        }),
      // A tampered compiled_html (anything at all in the column) still cannot put markup on the page.
      'bulletin page': (s) =>
        BulletinPage({
          ctx: ctx(s, '/bulletins/1'),
          bulletin: {
            id: 1,
            kind: 'bulletin',
            subject: s.title,
            sentAt: at,
            contentHtml: archivedBulletinHtml(
              `<html><body>${s.body}${s.text}<a href="${s.url}">x</a>${markers.unsubscribeUrl}</body></html>`,
              {
                campaignId: CAMPAIGN_ID,
                secret: SECRET,
                publicUrl: PUBLIC_URL,
              },
            ),
          },
        }),
    },
    100,
  );

  it('shows the bulletin compiled from hostile content safely, with public links in place of the slots', async () => {
    await fc.assert(
      fc.asyncProperty(sample, async (s) => {
        const html = await compileMjml(emailMjml(documents.bulletin(s), site(s), markers));
        const contentHtml = archivedBulletinHtml(html, { campaignId: CAMPAIGN_ID, secret: SECRET, publicUrl: PUBLIC_URL });
        expect(contentHtml).not.toContain('dispatch-slot-');
        expect(contentHtml).toContain(`<a href="${PUBLIC_URL}/preferences">Unsubscribe</a>`);
        expect(contentHtml).not.toMatch(/<h1|style=|<table|<!--/);
        expectNoInjectedMarkup(contentHtml);
      }),
      { numRuns: 25 },
    );
  });
});
