import { renderToString } from 'preact-render-to-string';
import type { SubscriptionTopic } from '../../platform/db/schema.ts';
import type { SiteSettings } from '../../platform/settings/site-settings.ts';
import { TOPIC_FREQUENCY_LABELS } from '../topics.ts';
import { CONFIRMATION_LINK_TTL_TEXT } from './signup-rules.ts';

export interface ConfirmationEmailInput {
  /** The normalised address the mail goes to. */
  email: string;
  topics: SubscriptionTopic[];
  /** `${publicUrl}/subscribe/confirm/<token>` */
  link: string;
  settings: SiteSettings;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

/** The postal address every subscription e-mail carries (CAN-SPAM asks for one), line by line. */
export function postalAddressLines(settings: SiteSettings): string[] {
  return [settings.agencyName, settings.officeName, settings.streetAddress, settings.cityStateZip].filter((line) => line.trim() !== '');
}

const IGNORE_IT = 'If you did not ask for this, ignore this e-mail and nothing will happen.';

/**
 * The double opt-in e-mail: plain text first (what many government mail clients show) and a
 * simple HTML part with a heading and a real link text. Every value is escaped by the renderer.
 */
export function confirmationEmail(input: ConfirmationEmailInput): ComposedMail {
  const { settings, topics, link } = input;
  // A site name is one line in the settings form, but a subject must never carry a line break.
  const subject = `Confirm your subscription to ${settings.siteName}`.replace(CONTROL_CHARACTERS, ' ');
  const topicLine = (topic: SubscriptionTopic) => `${topic.name} (${TOPIC_FREQUENCY_LABELS[topic.frequency].toLowerCase()})`;
  const address = postalAddressLines(settings);

  const text = [
    `Please confirm that you want e-mail updates from ${settings.siteName} at ${input.email}.`,
    '',
    'You asked for these topics:',
    ...topics.map((topic) => `- ${topicLine(topic)}`),
    '',
    `To confirm, open this link and press "Confirm subscription". The link works for ${CONFIRMATION_LINK_TTL_TEXT}:`,
    '',
    link,
    '',
    `${IGNORE_IT} We will not write to you again unless you confirm.`,
    '',
    '--',
    settings.siteName,
    ...address,
    '',
  ].join('\n');

  const html = `<!DOCTYPE html>${renderToString(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{subject}</title>
      </head>
      <body style="font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1b1b1b;">
        <h1 style="font-size: 24px;">Confirm your subscription</h1>
        <p>
          Please confirm that you want e-mail updates from {settings.siteName} at <strong>{input.email}</strong>.
        </p>
        <h2 style="font-size: 18px;">The topics you asked for</h2>
        <ul>
          {topics.map((topic) => (
            <li>{topicLine(topic)}</li>
          ))}
        </ul>
        <p>
          <a href={link} style="color: #005ea2;">
            Confirm your subscription to {settings.siteName}
          </a>
        </p>
        <p>
          The link opens a page with a “Confirm subscription” button and works for {CONFIRMATION_LINK_TTL_TEXT}. If the link does not open,
          copy this address into your browser: {link}
        </p>
        <p>{IGNORE_IT} We will not write to you again unless you confirm.</p>
        <hr />
        <address style="font-style: normal;">
          {settings.siteName}
          {address.map((line) => (
            <>
              <br />
              {line}
            </>
          ))}
        </address>
      </body>
    </html>,
  )}`;

  return { subject, text, html };
}
