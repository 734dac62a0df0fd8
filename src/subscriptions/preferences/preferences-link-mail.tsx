import { renderToString } from 'preact-render-to-string';
import type { SiteSettings } from '../../platform/settings/site-settings.ts';

export interface PreferencesLinkMail {
  subject: string;
  text: string;
  html: string;
}

/** The postal address every subscription mail ends with (CAN-SPAM asks for one; the site settings hold it). */
function postalLines(settings: SiteSettings): string[] {
  return [settings.agencyName, settings.officeName, settings.streetAddress, settings.cityStateZip].filter((line) => line.trim() !== '');
}

/**
 * The mail with a sign-in link to the preferences page. It is transactional (the person asked for it
 * a moment ago), so it carries no List-Unsubscribe header: there is no list to leave, and a one-click
 * unsubscribe here would let whoever typed the address unsubscribe its owner by mail-provider proxy.
 */
export function preferencesLinkMail(options: { settings: SiteSettings; link: string; requestPageUrl: string }): PreferencesLinkMail {
  const { settings, link, requestPageUrl } = options;
  const subject = `Your link to manage your ${settings.siteName} subscription`;
  const text = [
    `Someone, probably you, asked for a link to manage the e-mail subscription of this address to the ${settings.siteName}.`,
    '',
    'Open this link to choose your topics, pause or stop e-mail, download your data or delete your address:',
    '',
    link,
    '',
    'The link expires in 10 minutes and can be used once.',
    `If it has expired, ask for a new one at ${requestPageUrl}`,
    '',
    'If you did not ask for this, ignore this message: nothing changes unless the link is used.',
    '',
    '--',
    settings.siteName,
    ...postalLines(settings),
    '',
  ].join('\n');
  const html = `<!DOCTYPE html>${renderToString(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{subject}</title>
      </head>
      <body style="font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1b1b1b; background: #ffffff;">
        <main style="max-width: 36em; margin: 0 auto; padding: 16px;">
          <h1 style="font-size: 22px;">Manage your subscription</h1>
          <p>Someone, probably you, asked for a link to manage the e-mail subscription of this address to the {settings.siteName}.</p>
          <p>
            <a href={link} style="color: #005ea2; font-weight: bold;">
              Open your subscription preferences
            </a>
          </p>
          <p>There you can choose your topics, pause or stop e-mail, download your data or delete your address.</p>
          <p>
            <strong>The link expires in 10 minutes and can be used once.</strong> If it has expired, ask for a new one at{' '}
            <a href={requestPageUrl} style="color: #005ea2;">
              {requestPageUrl}
            </a>
            .
          </p>
          <p>If the link does not open, copy this address into your browser:</p>
          <p style="word-break: break-all;">{link}</p>
          <p>If you did not ask for this, ignore this message: nothing changes unless the link is used.</p>
          <hr />
          <address style="font-style: normal; font-size: 14px; color: #454545;">
            {settings.siteName}
            {postalLines(settings).map((line) => (
              <>
                <br />
                {line}
              </>
            ))}
          </address>
        </main>
      </body>
    </html>,
  )}`;
  return { subject, text, html };
}
