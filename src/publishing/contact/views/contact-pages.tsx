import type { SiteSettings } from '../../../platform/settings/site-settings.ts';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm, TextAreaField, TextField } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { PublicLayout } from '../../views/public-layout.tsx';
import { CONTACT_FIELD_LIMITS, HONEYPOT_FIELD } from '../submit-contact-message.ts';

export interface ContactFormValues {
  name?: string | undefined;
  email?: string | undefined;
  subject?: string | undefined;
  message?: string | undefined;
}

/** The Contact Us block from the site settings: the editorial board and the Response Center. */
function ContactDetails({ settings }: { settings: SiteSettings }) {
  return (
    <section class="usa-summary-box margin-bottom-4" aria-labelledby="contact-details-heading">
      <div class="usa-summary-box__body">
        <h2 class="usa-summary-box__heading" id="contact-details-heading">
          Other ways to reach us
        </h2>
        <div class="usa-summary-box__text">
          <p>
            To give feedback on the {settings.siteName}, e-mail the editorial board at{' '}
            <a class="usa-summary-box__link" href={`mailto:${settings.editorialBoardEmail}`}>
              {settings.editorialBoardEmail}
            </a>
            .
          </p>
          <p>
            For the office’s programs, publications and resources, contact the Response Center at{' '}
            <a class="usa-summary-box__link" href={`tel:${settings.responseCenterPhone.replace(/[^0-9+]/g, '')}`}>
              {settings.responseCenterPhone}
            </a>{' '}
            or{' '}
            <a class="usa-summary-box__link" href={`mailto:${settings.responseCenterEmail}`}>
              {settings.responseCenterEmail}
            </a>
            .
          </p>
        </div>
      </div>
    </section>
  );
}

/**
 * A field for bots only. It sits off screen (usa-sr-only) and is hidden from assistive technology
 * (aria-hidden) and from the tab order (tabindex -1), so people neither see, hear nor reach it; it
 * stays an ordinary text input for bots that fill in every field they parse.
 */
function Honeypot() {
  return (
    <div class="usa-sr-only" aria-hidden="true">
      <label for={`field-${HONEYPOT_FIELD}`}>Leave this field empty</label>
      <input id={`field-${HONEYPOT_FIELD}`} name={HONEYPOT_FIELD} type="text" tabindex={-1} autocomplete="off" value="" />
    </div>
  );
}

/** The public Contact Us page: the contact details, then a form that reaches the editorial board. */
export function ContactPage(props: { ctx: PageContext; values: ContactFormValues; errors: Record<string, string> }) {
  const { values, errors } = props;
  return (
    <PublicLayout ctx={props.ctx} title={Object.keys(errors).length > 0 ? 'Error: Contact Us' : 'Contact Us'}>
      <div class="grid-row">
        <div class="tablet:grid-col-10 desktop:grid-col-8">
          <h1>Contact Us</h1>
          <ContactDetails settings={props.ctx.settings} />
          <h2>Write to the editorial board</h2>
          <p>Send a question, a correction or an idea for a story. The editorial board answers by e-mail.</p>
          <ErrorSummary fields={errors} />
          <PostForm action="/contact" csrfToken={props.ctx.csrfToken} label="Write to the editorial board" class="usa-form usa-form--large">
            <TextField
              name="name"
              label="Your name"
              value={values.name}
              error={errors.name}
              autocomplete="name"
              required={false}
              maxLength={CONTACT_FIELD_LIMITS.name}
            />
            <TextField
              name="email"
              label="Your e-mail address"
              hint="We use it only to answer you."
              type="email"
              value={values.email}
              error={errors.email}
              autocomplete="email"
              maxLength={254}
              spellcheck={false}
            />
            <TextField
              name="subject"
              label="Subject"
              value={values.subject}
              error={errors.subject}
              maxLength={CONTACT_FIELD_LIMITS.subject}
            />
            <TextAreaField
              name="message"
              label="Message"
              hint="At most 5,000 characters."
              value={values.message}
              error={errors.message}
              rows={8}
            />
            <Honeypot />
            <button type="submit" class="usa-button margin-top-3">
              Send message
            </button>
          </PostForm>
        </div>
      </div>
    </PublicLayout>
  );
}

/** Shown after a message is sent (and, identically, when a bot filled in the hidden field). */
export function ContactThanksPage(props: { ctx: PageContext }) {
  return (
    <PublicLayout ctx={props.ctx} title="Thank you for your message">
      <div class="grid-row">
        <div class="tablet:grid-col-10 desktop:grid-col-8">
          <h1>Thank you for your message</h1>
          <Alert type="success" heading="Your message has been sent">
            The editorial board will reply by e-mail to the address you gave.
          </Alert>
          <p class="margin-top-3">
            <a href="/">Back to the current issue</a>
          </p>
        </div>
      </div>
    </PublicLayout>
  );
}
