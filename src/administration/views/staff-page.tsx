import { Alert } from '../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm, SelectField, TextField } from '../../platform/views/components/forms.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';
import { AdminLayout } from './admin-layout.tsx';

const roleOptions = [
  { value: 'editor', label: 'Editor: writes and edits content' },
  { value: 'publisher', label: 'Publisher: publishes and sends (second factor required)' },
  { value: 'admin', label: 'Administrator: everything, including staff and settings' },
];

interface StaffRow {
  id: string;
  email: string;
  display_name: string;
  staff_role: string | null;
  status: string;
  totp_enabled_at: string | null;
}

/** Staff list with role changes, and the invitation form. */
export function StaffPage(props: {
  ctx: PageContext;
  staff: StaffRow[];
  invited?: { email: string; url: string } | undefined;
  notice?: string | undefined;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}) {
  const errors = props.errors ?? {};
  return (
    <AdminLayout ctx={props.ctx} title="Staff">
      <h1>Staff</h1>
      {props.notice ? (
        <Alert type="success" slim>
          {props.notice}
        </Alert>
      ) : null}
      {props.invited ? (
        <Alert type="success" heading="Invitation sent">
          We e-mailed a one-time setup link to {props.invited.email}. It is valid for 24 hours:{' '}
          <code class="text-break-all">{props.invited.url}</code>
        </Alert>
      ) : null}
      <table class="usa-table usa-table--borderless width-full">
        <caption class="usa-sr-only">Staff accounts</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Status</th>
            <th scope="col">Second factor</th>
            <th scope="col">Role</th>
            <th scope="col">Access</th>
          </tr>
        </thead>
        <tbody>
          {props.staff.map((person) => (
            <tr>
              <th scope="row">{person.display_name}</th>
              <td>{person.email}</td>
              <td>{person.status}</td>
              <td>{person.totp_enabled_at ? 'Yes' : 'No'}</td>
              <td>
                <PostForm
                  action={`/admin/users/${person.id}/role`}
                  csrfToken={props.ctx.csrfToken}
                  class="display-flex flex-align-end"
                  label={`Role of ${person.display_name}`}
                >
                  <label class="usa-sr-only" for={`role-${person.id}`}>
                    Role of {person.display_name}
                  </label>
                  <select class="usa-select margin-top-0" id={`role-${person.id}`} name="role">
                    {['editor', 'publisher', 'admin', 'none'].map((r) => (
                      <option value={r} selected={(person.staff_role ?? 'none') === r}>
                        {r === 'none' ? 'No staff role' : r}
                      </option>
                    ))}
                  </select>
                  <button type="submit" class="usa-button usa-button--outline margin-left-1">
                    Save
                  </button>
                </PostForm>
              </td>
              <td>
                {person.status === 'invited' ? (
                  'Not set up yet'
                ) : (
                  <>
                    <PostForm
                      action={`/admin/users/${person.id}/sessions/end`}
                      csrfToken={props.ctx.csrfToken}
                      class="margin-bottom-1"
                      label={`Sign out ${person.display_name}`}
                    >
                      <button type="submit" class="usa-button usa-button--unstyled">
                        Sign out everywhere<span class="usa-sr-only">: {person.display_name}</span>
                      </button>
                    </PostForm>
                    <PostForm
                      action={`/admin/users/${person.id}/status`}
                      csrfToken={props.ctx.csrfToken}
                      label={`Access of ${person.display_name}`}
                    >
                      <input type="hidden" name="status" value={person.status === 'disabled' ? 'active' : 'disabled'} />
                      <button type="submit" class="usa-button usa-button--unstyled">
                        {person.status === 'disabled' ? 'Enable account' : 'Disable account'}
                        <span class="usa-sr-only">: {person.display_name}</span>
                      </button>
                    </PostForm>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Invite a staff member</h2>
      <ErrorSummary fields={errors} />
      <PostForm action="/admin/users" csrfToken={props.ctx.csrfToken} label="Invite a staff member">
        <TextField name="email" label="E-mail address" type="email" value={props.values?.email} error={errors.email} spellcheck={false} />
        <TextField name="displayName" label="Name" value={props.values?.displayName} error={errors.displayName} required={false} />
        <SelectField name="role" label="Role" options={roleOptions} value={props.values?.role ?? 'editor'} error={errors.role} />
        <button type="submit" class="usa-button margin-top-3">
          Send invitation
        </button>
      </PostForm>
    </AdminLayout>
  );
}
