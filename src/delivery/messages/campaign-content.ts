import {
  durationLabel,
  eventKindLabel,
  eventWhenLabel,
  hashtagUrl,
  issueDateline,
  issueMonthLabel,
  publishedDateLabel,
  safeHttpUrl,
} from '../../publishing/format.ts';
import { renderMarkdown } from '../../publishing/markdown.ts';
import type { ArticleView } from '../../publishing/site/find-article.ts';
import type { EventView } from '../../publishing/site/find-event.ts';
import type { IssueContents } from '../../publishing/site/find-issue.ts';
import type { MonthContents } from '../../publishing/site/list-month.ts';
import type { ArticleRow, EventRow, IssueRow } from '../../publishing/site/published.ts';
import { type Host, parseHosts, parseLinks, splitAuthors } from '../../publishing/site/rows.ts';
import { type EmailBlock, type EmailDocument, type EmailSite, styledBodyHtml, styles } from './email-layout.ts';
import { type Markup, markup } from './markup.ts';
import { markdownToPlainText, plain, underlined, wrap } from './plain-text.ts';

// The content of each kind of campaign, in MJML and in plain text, from rows publishing has read
// (published rows only). Every value from a row goes through `markup` (escaped) or renderMarkdown
// (sanitised); links come from our own paths or from safeHttpUrl.

export interface CampaignSite extends EmailSite {
  opinionDisclaimer: string;
}

/** Subject, and why the reader gets it: the campaign row and its audience decide these. */
export interface CampaignFrame {
  subject: string;
  reason: string;
}

type Level = 1 | 2 | 3;

const path = (site: EmailSite, ...parts: string[]) => `${site.publicUrl}/${parts.map(encodeURIComponent).join('/')}`;
const articleUrl = (site: EmailSite, article: ArticleRow) => path(site, 'articles', article.slug);
const issueUrl = (site: EmailSite, issue: IssueRow) => path(site, 'issues', String(issue.volume), String(issue.number));
const eventUrl = (site: EmailSite, event: EventRow) => path(site, 'events', event.slug);
const calendarUrl = (site: EmailSite, event: EventRow) => `${path(site, 'events', event.slug)}.ics`;

function heading(level: Level, text: string, href?: string): Markup {
  const style = level === 1 ? styles.h1 : level === 2 ? styles.h2 : styles.h3;
  const inner = href ? markup`<a href="${href}" style="${styles.a}">${text}</a>` : markup`${text}`;
  return markup`<h${level} style="${style}">${inner}</h${level}>`;
}

const textBlock = (...html: Markup[]): Markup => markup`<mj-text>${html}</mj-text>`;
const link = (href: string, text: string) => markup`<a href="${href}" style="${styles.a}">${text}</a>`;

function button(href: string, text: string): EmailBlock {
  return { mjml: markup`<mj-button href="${href}">${text}</mj-button>`, text: `${wrap(text)}:\n${href}` };
}

/** "Jane Doe", "Jane Doe and Sam Roe", "A, B and C". */
function namesList(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function byline(article: ArticleRow): string {
  const authors = splitAuthors(article.authors);
  const published = `Published ${publishedDateLabel(article.published_at ?? article.updated_at)}`;
  return authors.length ? `By ${namesList(authors)} | ${published}` : published;
}

function hostsHtml(hosts: Host[]): Markup {
  return markup`${hosts.map((host, i) => {
    const handle = host.handle || host.name;
    const separator = i === 0 ? '' : i === hosts.length - 1 ? ' and ' : ', ';
    const shown = host.url ? link(host.url, handle) : markup`${handle}`;
    return host.name && host.handle ? markup`${separator}${host.name} (${shown})` : markup`${separator}${shown}`;
  })}`;
}

function hostsText(hosts: Host[]): string {
  return namesList(hosts.map((h) => (h.name && h.handle ? `${h.name} (${h.handle})` : h.handle || h.name)));
}

/** An event's facts: kind and time (as the site prints them), hashtag, hosts, place, join link, calendar file. */
function eventDetails(event: EventRow, site: EmailSite): EmailBlock {
  const hosts = parseHosts(event.hosts);
  const joinUrl = safeHttpUrl(event.join_url);
  const when = `${eventWhenLabel(event.starts_at, event.time_zone)} (${durationLabel(event.duration_minutes)})`;
  const joinText = event.kind === 'in_person' ? `Register for ${event.title}` : `Join or register for ${event.title}`;
  const html = [
    markup`<p style="${styles.p}"><strong>${eventKindLabel(event.kind)}:</strong> ${when}</p>`,
    event.hashtag ? markup`<p style="${styles.p}"><strong>Hashtag:</strong> ${link(hashtagUrl(event.hashtag), event.hashtag)}</p>` : null,
    hosts.length ? markup`<p style="${styles.p}"><strong>Hosts:</strong> ${hostsHtml(hosts)}</p>` : null,
    event.location ? markup`<p style="${styles.p}"><strong>Location:</strong> ${event.location}</p>` : null,
    event.description ? markup`<p style="${styles.p}">${event.description}</p>` : null,
    joinUrl ? markup`<p style="${styles.p}">${link(joinUrl, joinText)}</p>` : null,
    markup`<p style="${styles.p}">${link(calendarUrl(site, event), `Add ${event.title} to your calendar`)}</p>`,
  ];
  const text = [
    wrap(`${eventKindLabel(event.kind)}: ${when}`),
    event.hashtag ? wrap(`Hashtag: ${event.hashtag} (${hashtagUrl(event.hashtag)})`) : '',
    hosts.length ? wrap(`Hosts: ${hostsText(hosts)}`) : '',
    event.location ? wrap(`Location: ${event.location}`) : '',
    event.description ? wrap(event.description) : '',
    joinUrl ? `${wrap(joinText)}:\n${joinUrl}` : '',
    `${wrap(`Add ${event.title} to your calendar`)}:\n${calendarUrl(site, event)}`,
  ];
  return { mjml: textBlock(...html.filter((h): h is Markup => h !== null)), text: text.filter(Boolean).join('\n\n') };
}

/** An event under its linked title, inside an article, an issue or a digest. */
function eventSection(event: EventRow, site: EmailSite, level: 2 | 3): EmailBlock {
  const details = eventDetails(event, site);
  return {
    mjml: markup`${textBlock(heading(level, event.title, eventUrl(site, event)))}${details.mjml}`,
    text: `${underlined(event.title, '-')}\n${eventUrl(site, event)}\n\n${details.text}`,
  };
}

/** An article as a teaser: linked title, byline, summary and a "Read" link naming it. */
function articleTeaser(article: ArticleRow, site: EmailSite, level: 2 | 3): EmailBlock {
  const url = articleUrl(site, article);
  return {
    mjml: textBlock(
      heading(level, article.title, url),
      markup`<p style="${styles.meta}">${byline(article)}</p>`,
      markup`<p style="${styles.p}">${article.summary}</p>`,
      markup`<p style="${styles.p}">${link(url, `Read “${article.title}”`)}</p>`,
    ),
    text: [
      underlined(article.title, '-'),
      wrap(byline(article)),
      wrap(article.summary),
      `${wrap(`Read “${article.title}”`)}:\n${url}`,
    ].join('\n\n'),
  };
}

/** A bulletin for one article: the article in full, its events and resources, and a link to it. */
export function articleBulletin(view: ArticleView, site: CampaignSite, frame: CampaignFrame): EmailDocument {
  const { article, issue, events } = view;
  const url = articleUrl(site, article);
  const resources = parseLinks(article.additional_resources);
  const imageUrl = article.image_upload_id ? path(site, 'uploads', article.image_upload_id) : undefined;
  const intro: EmailBlock = {
    mjml: textBlock(
      issue ? markup`<p style="${styles.dateline}">${link(issueUrl(site, issue), issueDateline(issue))}</p>` : markup``,
      heading(1, article.title),
      markup`<p style="${styles.meta}">${byline(article)}</p>`,
    ),
    text: [issue ? issueDateline(issue) : '', underlined(article.title, '='), wrap(byline(article))].filter(Boolean).join('\n\n'),
  };
  // An image without a description is decorative: empty alt text, so screen readers skip it.
  const image: EmailBlock | null = imageUrl
    ? {
        mjml: markup`<mj-image src="${imageUrl}" alt="${article.image_alt ?? ''}" />`,
        text: article.image_alt ? `[${plain(article.image_alt)}]` : '',
      }
    : null;
  const body: EmailBlock = {
    mjml: textBlock(markup`<p style="${styles.intro}">${article.summary}</p>`, styledBodyHtml(renderMarkdown(article.body_markdown))),
    text: [wrap(article.summary), markdownToPlainText(article.body_markdown)].filter(Boolean).join('\n\n'),
  };
  const resourceBlock: EmailBlock | null = resources.length
    ? {
        mjml: textBlock(
          heading(2, 'Additional Resources'),
          markup`<ul style="${styles.list}">${resources.map((r) => markup`<li>${link(r.url, r.title)}</li>`)}</ul>`,
        ),
        text: `${underlined('Additional Resources', '-')}\n\n${resources.map((r) => wrap(`${r.title}: ${r.url}`, { first: '- ', rest: '  ' })).join('\n')}`,
      }
    : null;
  const disclaimer: EmailBlock | null =
    article.show_disclaimer === 1 && site.opinionDisclaimer
      ? { mjml: textBlock(markup`<p style="${styles.small}">${site.opinionDisclaimer}</p>`), text: wrap(site.opinionDisclaimer) }
      : null;
  const blocks = [
    intro,
    image,
    body,
    ...events.map((event) => eventSection(event, site, 2)),
    resourceBlock,
    disclaimer,
    button(url, 'Read this article on the website'),
  ];
  return { ...frame, preheader: article.summary, blocks: blocks.filter((b): b is EmailBlock => b !== null) };
}

/** A bulletin for an issue: its dateline, then each article as a teaser with its events. */
export function issueBulletin(contents: IssueContents, site: CampaignSite, frame: CampaignFrame): EmailDocument {
  const { issue, articles, events } = contents;
  const title = `${site.siteName}, ${issueMonthLabel(issue.month)}`;
  const blocks: EmailBlock[] = [
    {
      mjml: textBlock(markup`<p style="${styles.dateline}">${issueDateline(issue)}</p>`, heading(1, title)),
      text: `${issueDateline(issue)}\n\n${underlined(title, '=')}`,
    },
  ];
  if (articles.length === 0)
    blocks.push({
      mjml: textBlock(markup`<p style="${styles.p}">This issue has no articles yet.</p>`),
      text: 'This issue has no articles yet.',
    });
  for (const article of articles) {
    blocks.push(articleTeaser(article, site, 2));
    for (const event of events.filter((e) => e.article_id === article.id)) blocks.push(eventSection(event, site, 3));
  }
  blocks.push(button(issueUrl(site, issue), `Read the ${issueMonthLabel(issue.month)} issue on the website`));
  const preheader = articles.length ? `In this issue: ${articles.map((a) => a.title).join('; ')}` : issueDateline(issue);
  return { ...frame, preheader, blocks };
}

/** The monthly digest: the month's articles, then its events. */
export function monthlyDigest(contents: MonthContents, site: CampaignSite, frame: CampaignFrame): EmailDocument {
  const monthLabel = issueMonthLabel(`${contents.month}-01`);
  const title = `${site.siteName}: ${monthLabel} in review`;
  const { articles, events } = contents;
  const counts = [
    articles.length === 1 ? '1 article' : `${articles.length} articles`,
    events.length === 1 ? '1 event' : `${events.length} events`,
  ];
  const blocks: EmailBlock[] = [
    {
      mjml: textBlock(
        heading(1, title),
        markup`<p style="${styles.intro}">What we published in ${monthLabel}: ${counts.join(' and ')}.</p>`,
      ),
      text: `${underlined(title, '=')}\n\n${wrap(`What we published in ${monthLabel}: ${counts.join(' and ')}.`)}`,
    },
  ];
  if (articles.length) {
    blocks.push({ mjml: textBlock(heading(2, 'Articles')), text: underlined('Articles', '-') });
    blocks.push(...articles.map((article) => articleTeaser(article, site, 3)));
  }
  if (events.length) {
    blocks.push({ mjml: textBlock(heading(2, 'Events')), text: underlined('Events', '-') });
    blocks.push(...events.map((event) => eventSection(event, site, 3)));
  }
  if (!articles.length && !events.length) {
    blocks.push({
      mjml: textBlock(markup`<p style="${styles.p}">Nothing new was published this month.</p>`),
      text: 'Nothing new was published this month.',
    });
  }
  blocks.push(button(`${site.publicUrl}/issues`, 'Browse the issue archive'));
  return { ...frame, preheader: `${monthLabel}: ${counts.join(' and ')}`, blocks };
}

/** A reminder of one upcoming event: its facts, how to join, and the calendar file. */
export function eventReminder(view: EventView, site: CampaignSite, frame: CampaignFrame): EmailDocument {
  const { event, article } = view;
  const when = eventWhenLabel(event.starts_at, event.time_zone);
  const blocks: (EmailBlock | null)[] = [
    {
      mjml: textBlock(markup`<p style="${styles.dateline}">Reminder: ${eventKindLabel(event.kind)}</p>`, heading(1, event.title)),
      text: `Reminder: ${eventKindLabel(event.kind)}\n\n${underlined(event.title, '=')}`,
    },
    eventDetails(event, site),
    article
      ? {
          mjml: textBlock(
            markup`<p style="${styles.p}">Read more in the article ${link(path(site, 'articles', article.slug), article.title)}.</p>`,
          ),
          text: `${wrap(`Read more in the article ${article.title}`)}:\n${path(site, 'articles', article.slug)}`,
        }
      : null,
    button(eventUrl(site, event), 'See the event page on the website'),
  ];
  return { ...frame, preheader: `${eventKindLabel(event.kind)}: ${when}`, blocks: blocks.filter((b): b is EmailBlock => b !== null) };
}
