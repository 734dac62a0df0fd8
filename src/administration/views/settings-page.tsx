import type { SiteSettings } from '../../platform/settings/site-settings.ts';
import { Alert } from '../../platform/views/components/alert.tsx';
import { Checkbox, ErrorSummary, PostForm, TextAreaField, TextField } from '../../platform/views/components/forms.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';
import { AdminLayout } from './admin-layout.tsx';

/** Site name, the official banner, the Contact Us block and the sender of account mail. */
export function SettingsPage(props: { ctx: PageContext; values: SiteSettings; errors?: Record<string, string>; saved?: boolean }) {
  const v = props.values;
  const e = props.errors ?? {};
  return (
    <AdminLayout ctx={props.ctx} title="Site settings">
      <h1>Site settings</h1>
      {props.saved ? (
        <Alert type="success" slim>
          Settings saved.
        </Alert>
      ) : null}
      <ErrorSummary fields={e} />
      <PostForm action="/admin/settings" csrfToken={props.ctx.csrfToken} label="Site settings">
        <fieldset class="usa-fieldset">
          <legend class="usa-legend usa-legend--large">The site</legend>
          <TextField name="siteName" label="Site name" value={v.siteName} error={e.siteName} />
          <TextField name="tagline" label="Tagline" value={v.tagline} error={e.tagline} required={false} />
          <Checkbox
            name="showOfficialBanner"
            label="Show the “official website of the United States government” banner"
            checked={v.showOfficialBanner}
          />
        </fieldset>
        <fieldset class="usa-fieldset">
          <legend class="usa-legend usa-legend--large">The publication</legend>
          <TextField
            name="firstVolumeYear"
            label="Year of Volume 1"
            type="number"
            inputMode="numeric"
            hint="New issues take their volume from this: 2008 makes 2024 Volume 17."
            value={String(v.firstVolumeYear)}
            error={e.firstVolumeYear}
          />
          <TextAreaField
            name="opinionDisclaimer"
            label="Opinion disclaimer"
            hint="Printed under articles that show it."
            value={v.opinionDisclaimer}
            error={e.opinionDisclaimer}
            required={false}
          />
        </fieldset>
        <fieldset class="usa-fieldset">
          <legend class="usa-legend usa-legend--large">Contact Us block</legend>
          <TextField
            name="editorialBoardEmail"
            label="Editorial board e-mail"
            type="email"
            value={v.editorialBoardEmail}
            error={e.editorialBoardEmail}
          />
          <TextField
            name="responseCenterPhone"
            label="Response Center phone"
            type="tel"
            value={v.responseCenterPhone}
            error={e.responseCenterPhone}
          />
          <TextField
            name="responseCenterEmail"
            label="Response Center e-mail"
            type="email"
            value={v.responseCenterEmail}
            error={e.responseCenterEmail}
          />
          <TextField name="agencyName" label="Agency" value={v.agencyName} error={e.agencyName} />
          <TextField name="officeName" label="Office" value={v.officeName} error={e.officeName} />
          <TextField name="streetAddress" label="Street address" value={v.streetAddress} error={e.streetAddress} />
          <TextField name="cityStateZip" label="City, state and ZIP" value={v.cityStateZip} error={e.cityStateZip} />
          <TextField name="agencyWebsite" label="Website" value={v.agencyWebsite} error={e.agencyWebsite} required={false} />
        </fieldset>
        <fieldset class="usa-fieldset">
          <legend class="usa-legend usa-legend--large">Mail</legend>
          <TextField
            name="transactionalFrom"
            label="Sender of account mail"
            hint="For example: Community Policing Dispatch <no-reply@example.gov>"
            value={v.transactionalFrom}
            error={e.transactionalFrom}
          />
          <TextField
            name="bulletinFrom"
            label="Sender of bulletins and digests"
            hint="A different address from account mail, for example: Community Policing Dispatch <dispatch@example.gov>"
            value={v.bulletinFrom}
            error={e.bulletinFrom}
          />
        </fieldset>
        <button type="submit" class="usa-button margin-top-3">
          Save settings
        </button>
      </PostForm>
    </AdminLayout>
  );
}
