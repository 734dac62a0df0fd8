import type { ComponentChildren } from 'preact';
import { Alert } from './components/alert.tsx';
import { CsrfField } from './components/forms.tsx';
import type { PageContext } from './page-context.ts';

/** The USWDS "official website" banner; shown when the site setting asks for it. */
function OfficialBanner() {
  return (
    <section class="usa-banner" aria-label="Official website of the United States government">
      <div class="usa-accordion">
        <header class="usa-banner__header">
          <div class="usa-banner__inner">
            <div class="grid-col-auto">
              <img aria-hidden="true" class="usa-banner__header-flag" src="/assets/uswds/img/us_flag_small.png" alt="" />
            </div>
            <div class="grid-col-fill tablet:grid-col-auto" aria-hidden="true">
              <p class="usa-banner__header-text">An official website of the United States government</p>
              <p class="usa-banner__header-action">Here’s how you know</p>
            </div>
            <button type="button" class="usa-accordion__button usa-banner__button" aria-expanded="false" aria-controls="gov-banner-default">
              <span class="usa-banner__button-text">Here’s how you know</span>
            </button>
          </div>
        </header>
        <div class="usa-banner__content usa-accordion__content" id="gov-banner-default" hidden>
          <div class="grid-row grid-gap-lg">
            <div class="usa-banner__guidance tablet:grid-col-6">
              <img
                class="usa-banner__icon usa-media-block__img"
                src="/assets/uswds/img/icon-dot-gov.svg"
                role="img"
                alt=""
                aria-hidden="true"
              />
              <div class="usa-media-block__body">
                <p>
                  <strong>Official websites use .gov</strong>
                  <br />A <strong>.gov</strong> website belongs to an official government organization in the United States.
                </p>
              </div>
            </div>
            <div class="usa-banner__guidance tablet:grid-col-6">
              <img
                class="usa-banner__icon usa-media-block__img"
                src="/assets/uswds/img/icon-https.svg"
                role="img"
                alt=""
                aria-hidden="true"
              />
              <div class="usa-media-block__body">
                <p>
                  <strong>Secure .gov websites use HTTPS</strong>
                  <br />A <strong>lock</strong> or <strong>https://</strong> means you’ve safely connected to the .gov website. Share
                  sensitive information only on official, secure websites.
                </p>
              </div>
            </div>
          </div>
        </div>
      </div>
    </section>
  );
}

const publicSections = [
  { href: '/issues', label: 'Archive' },
  { href: '/events', label: 'Events' },
  { href: '/resources', label: 'Resources' },
  { href: '/search', label: 'Search' },
];

function SiteHeader({ ctx }: { ctx: PageContext }) {
  const { viewer } = ctx;
  return (
    <header class="site-header">
      <div class="grid-container site-header__inner">
        <div class="site-header__brand">
          <a href="/" class="site-header__title">
            {ctx.settings.siteName}
          </a>
          <span class="site-header__tagline">{ctx.settings.tagline}</span>
        </div>
        <nav aria-label="Primary" class="site-header__nav">
          <ul class="usa-list usa-list--unstyled site-header__links">
            <li>
              <a href="/" aria-current={ctx.path === '/' ? 'page' : undefined}>
                Current issue
              </a>
            </li>
            {publicSections.map((section) => (
              <li>
                <a href={section.href} aria-current={ctx.path.startsWith(section.href) ? 'page' : undefined}>
                  {section.label}
                </a>
              </li>
            ))}
            {viewer?.staffRole ? (
              <li>
                <a href="/admin" aria-current={ctx.path.startsWith('/admin') ? 'page' : undefined}>
                  Admin
                </a>
              </li>
            ) : null}
            {viewer ? (
              <>
                <li>
                  <a href="/account" aria-current={ctx.path.startsWith('/account') ? 'page' : undefined}>
                    Your account
                  </a>
                </li>
                <li>
                  <form method="post" action="/logout" class="site-header__signout">
                    <CsrfField token={ctx.csrfToken} />
                    <button type="submit" class="usa-button usa-button--unstyled">
                      Sign out
                    </button>
                  </form>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
      </div>
    </header>
  );
}

function SiteFooter({ ctx }: { ctx: PageContext }) {
  const s = ctx.settings;
  return (
    <footer class="usa-footer usa-footer--slim">
      <div class="usa-footer__secondary-section">
        <div class="grid-container">
          <div class="grid-row grid-gap">
            <section class="tablet:grid-col-8" aria-labelledby="contact-us-heading">
              <h2 id="contact-us-heading" class="font-heading-md margin-top-0">
                Contact Us
              </h2>
              <p>
                To provide feedback on the {s.siteName}, e-mail the editorial board at{' '}
                <a href={`mailto:${s.editorialBoardEmail}`}>{s.editorialBoardEmail}</a> or use the <a href="/contact">contact form</a>.
              </p>
              <p>
                For details on the office’s programs, publications and resources, contact the Response Center at{' '}
                <a href={`tel:${s.responseCenterPhone.replace(/[^0-9+]/g, '')}`}>{s.responseCenterPhone}</a> or{' '}
                <a href={`mailto:${s.responseCenterEmail}`}>{s.responseCenterEmail}</a>.
              </p>
            </section>
            <address class="tablet:grid-col-4 site-footer__address">
              {s.agencyName}
              <br />
              {s.officeName}
              <br />
              {s.streetAddress}
              <br />
              {s.cityStateZip}
              <br />
              {s.agencyWebsite}
            </address>
          </div>
          {ctx.viewer ? null : (
            <p class="site-footer__staff">
              <a href="/login">Staff sign in</a>
            </p>
          )}
        </div>
      </div>
    </footer>
  );
}

/** The page shell every route renders into: skip link, banner, header, main, footer. */
export function Layout(props: { ctx: PageContext; title: string; children: ComponentChildren; wide?: boolean }) {
  const { ctx } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} | ${ctx.settings.siteName}`}</title>
        <link rel="stylesheet" href="/assets/uswds/css/uswds.min.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        <link rel="icon" href="/assets/uswds/img/favicons/favicon.ico" />
        <link rel="alternate" type="application/rss+xml" title={`${ctx.settings.siteName} (RSS)`} href="/feed.xml" />
        <link rel="alternate" type="application/atom+xml" title={`${ctx.settings.siteName} (Atom)`} href="/atom.xml" />
        <link rel="alternate" type="application/feed+json" title={`${ctx.settings.siteName} (JSON Feed)`} href="/feed.json" />
        <script nonce={ctx.nonce} src="/assets/uswds/js/uswds-init.min.js" />
      </head>
      <body>
        <a class="usa-skipnav" href="#main-content">
          Skip to main content
        </a>
        {ctx.settings.showOfficialBanner ? <OfficialBanner /> : null}
        <SiteHeader ctx={ctx} />
        <main id="main-content" class="grid-container site-main" tabindex={-1}>
          {ctx.secondFactorPostponed ? (
            <div class="margin-bottom-3">
              <Alert type="warning" slim>
                Local demo: this administrator has not enrolled a second factor yet. Outside localhost Dispatch refuses administrative
                actions until one is enrolled. <a href="/account/second-factor">Set it up now</a>.
              </Alert>
            </div>
          ) : null}
          {props.children}
        </main>
        <SiteFooter ctx={ctx} />
        <script nonce={ctx.nonce} src="/assets/uswds/js/uswds.min.js" />
      </body>
    </html>
  );
}
