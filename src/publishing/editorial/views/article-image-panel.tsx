import { CsrfField, TextField } from '../../../platform/views/components/forms.tsx';
import type { ArticleRow } from '../articles/article-queries.ts';
import { FileField } from './fields.tsx';

/**
 * The article's image and a small form to upload a new one. The form posts multipart data with the
 * anti-forgery token as a field, like every other form.
 */
export function ArticleImagePanel(props: { csrfToken: string; article: ArticleRow; errors: Record<string, string>; alt: string }) {
  const { article, errors: e } = props;
  return (
    <section aria-labelledby="image-heading" class="margin-top-5">
      <h2 id="image-heading">Image</h2>
      {article.image_upload_id ? (
        <figure class="margin-x-0">
          <img src={`/uploads/${article.image_upload_id}`} alt={article.image_alt ?? ''} class="maxw-mobile-lg" />
          <figcaption class="usa-hint">Alt text: {article.image_alt}</figcaption>
        </figure>
      ) : (
        <p>This article has no image.</p>
      )}
      <p class="usa-hint">
        For pictures inside the article text, upload them on the <a href="/admin/uploads">Images</a> page.
      </p>
      <form
        class="usa-form"
        method="post"
        action={`/admin/articles/${article.id}/image`}
        enctype="multipart/form-data"
        aria-label={article.image_upload_id ? 'Replace the image' : 'Add an image'}
      >
        <CsrfField token={props.csrfToken} />
        <FileField
          name="image"
          label={article.image_upload_id ? 'Replace the image' : 'Add an image'}
          accept="image/png,image/jpeg,image/gif,image/webp"
          hint="PNG, JPEG, GIF or WebP, at most 5 MB. Uploaded images are public: anyone with the address can see them."
          error={e.image}
        />
        <TextField
          name="newImageAlt"
          label="Alt text for the image"
          hint="Describe what the image shows for people who cannot see it."
          value={props.alt}
          error={e.newImageAlt}
          maxLength={500}
        />
        <button type="submit" class="usa-button usa-button--outline margin-top-2">
          Upload image
        </button>
      </form>
    </section>
  );
}
