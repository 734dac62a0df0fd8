import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { ArticleRow } from '../articles/article-queries.ts';
import { type ArticleChange, type ArticleSnapshot, CHANGE_LABELS } from '../articles/article-revisions.ts';
import { STATE_LABELS } from '../articles/article-state.ts';
import { Fact, When } from './parts.tsx';

interface RevisionRow {
  id: number;
  created_at: string;
  author: string;
  change: string;
}

const changeLabel = (change: string) => CHANGE_LABELS[change as ArticleChange] ?? change;

/** Who changed the article, when, and how; each revision links to its snapshot. */
export function ArticleRevisionsPage(props: { ctx: PageContext; article: ArticleRow; revisions: RevisionRow[] }) {
  const { article } = props;
  return (
    <AdminLayout ctx={props.ctx} title={`Revisions: ${article.title}`}>
      <p class="margin-top-0">
        <a href={`/admin/articles/${article.id}`}>Back to the article</a>
      </p>
      <h1>Revision history</h1>
      <p class="usa-intro">{article.title}</p>
      {props.revisions.length === 0 ? (
        <p>No revisions recorded. (Articles loaded with the demo content start without one; the first edit records one.)</p>
      ) : (
        <table class="usa-table usa-table--borderless width-full">
          <caption class="usa-sr-only">Revisions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Snapshot</th>
            </tr>
          </thead>
          <tbody>
            {props.revisions.map((r) => (
              <tr>
                <td>
                  <When at={r.created_at} />
                </td>
                <td>{r.author}</td>
                <td>{changeLabel(r.change)}</td>
                <td>
                  <a href={`/admin/articles/${article.id}/revisions/${r.id}`}>
                    View<span class="usa-sr-only"> revision {r.id}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

/** The article as it stood after one change: every field, the text as typed. */
export function ArticleRevisionPage(props: {
  ctx: PageContext;
  article: ArticleRow;
  revision: { id: number; created_at: string; author: string; change: string; snapshot: ArticleSnapshot };
  topicNames: Record<string, string>;
}) {
  const { article, revision } = props;
  const s = revision.snapshot;
  return (
    <AdminLayout ctx={props.ctx} title={`Revision ${revision.id}: ${article.title}`}>
      <p class="margin-top-0">
        <a href={`/admin/articles/${article.id}/revisions`}>Back to the revision history</a>
      </p>
      <h1>Revision {revision.id}</h1>
      <p class="usa-intro">
        {changeLabel(revision.change)} by {revision.author}, <When at={revision.created_at} />
      </p>
      <dl>
        <Fact term="Title">{s.title}</Fact>
        <Fact term="Slug">{s.slug}</Fact>
        <Fact term="State">{STATE_LABELS[s.status] ?? s.status}</Fact>
        <Fact term="Scheduled for">
          <When at={s.scheduled_for} />
        </Fact>
        <Fact term="First published">
          <When at={s.published_at} />
        </Fact>
        <Fact term="Summary">{s.summary}</Fact>
        <Fact term="Authors">{s.authors || '—'}</Fact>
        <Fact term="Issue">{s.issue_id ?? 'Stands alone'}</Fact>
        <Fact term="Position">{s.position}</Fact>
        <Fact term="Topics">{s.topic_ids.map((id) => props.topicNames[id] ?? `${id} (deleted)`).join(', ') || '—'}</Fact>
        <Fact term="Additional resources">
          {s.additional_resources.length === 0 ? (
            '—'
          ) : (
            <ul class="usa-list">
              {s.additional_resources.map((l) => (
                <li>
                  {l.title}: <code>{l.url}</code>
                </li>
              ))}
            </ul>
          )}
        </Fact>
        <Fact term="Disclaimer shown">{s.show_disclaimer ? 'Yes' : 'No'}</Fact>
        <Fact term="Image">{s.image_upload_id ? `${s.image_upload_id} (alt text: ${s.image_alt ?? ''})` : 'None'}</Fact>
      </dl>
      <h2>Article text (Markdown)</h2>
      <pre class="bg-base-lightest padding-2 font-mono-2xs text-pre-wrap">{s.body_markdown}</pre>
    </AdminLayout>
  );
}
