import { PostForm } from '../../../platform/views/components/forms.tsx';

/**
 * The "Export subscribers" button: a POST (with the anti-forgery token), so another site cannot make
 * a signed-in administrator's browser download the list. Other admin pages include it as it is.
 */
export function ExportSubscribersForm(props: { csrfToken: string }) {
  return (
    <PostForm action="/admin/subscribers/export" csrfToken={props.csrfToken} label="Export subscribers" class="margin-y-2">
      <p class="usa-hint margin-top-0" id="export-subscribers-hint">
        Every subscriber as a CSV file: address, status, topics, frequencies and consent evidence.
      </p>
      <button type="submit" class="usa-button usa-button--outline" aria-describedby="export-subscribers-hint">
        Export subscribers (CSV)
      </button>
    </PostForm>
  );
}
