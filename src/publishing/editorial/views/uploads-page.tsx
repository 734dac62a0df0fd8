import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { CsrfField, ErrorSummary } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { FileField } from './fields.tsx';
import { When } from './parts.tsx';

interface UploadRow {
  id: string;
  original_name: string;
  content_type: string;
  size_bytes: number;
  created_at: string;
}

const kilobytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** Upload an image to use in article text; the newest uploads with their addresses. */
export function UploadsPage(props: {
  ctx: PageContext;
  uploads: UploadRow[];
  uploaded?: string | undefined;
  errors?: Record<string, string>;
}) {
  const errors = props.errors ?? {};
  return (
    <AdminLayout ctx={props.ctx} title="Images">
      <h1>Images</h1>
      {props.uploaded ? (
        <Alert type="success" heading="Image uploaded">
          Use it in article text as <code>![describe the image](/uploads/{props.uploaded})</code>.
        </Alert>
      ) : null}
      <ErrorSummary fields={errors} />
      <p>
        To give an article its main image, use the Image section on the article’s page. Here you can upload images to place inside article
        text.
      </p>
      <form class="usa-form" method="post" action="/admin/uploads" enctype="multipart/form-data" aria-label="Upload an image">
        <CsrfField token={props.ctx.csrfToken} />
        <FileField
          name="image"
          label="Image file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          hint="PNG, JPEG, GIF or WebP, at most 5 MB. Uploaded images are public: anyone with the address can see them."
          error={errors.image}
        />
        <button type="submit" class="usa-button margin-top-2">
          Upload image
        </button>
      </form>
      <h2>Recent images</h2>
      {props.uploads.length === 0 ? (
        <p>No images uploaded yet.</p>
      ) : (
        <table class="usa-table usa-table--borderless width-full">
          <caption class="usa-sr-only">Recent images, newest first</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Address</th>
              <th scope="col">Size</th>
              <th scope="col">Uploaded</th>
            </tr>
          </thead>
          <tbody>
            {props.uploads.map((u) => (
              <tr>
                <th scope="row">{u.original_name}</th>
                <td>
                  <a href={`/uploads/${u.id}`}>
                    <code>/uploads/{u.id}</code>
                  </a>
                </td>
                <td>{kilobytes(u.size_bytes)}</td>
                <td>
                  <When at={u.created_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}
