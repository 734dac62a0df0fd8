import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { type Browser, csrfTokenIn } from '../../../../test/support/app.ts';
import { describeEachDatabase } from '../../../../test/support/databases.ts';
import { editorialTestApp, multipartBody, signedIn, TINY_PNG } from '../test-support.ts';

const DEMO_DRAFTABLE = 'demo-article-sro-mou-x-chat';

async function upload(
  browser: Browser,
  action: string,
  options: { token?: string | undefined; data: Buffer; fileName?: string; contentType?: string; fields?: Record<string, string> },
) {
  const fields = { ...(options.token === undefined ? {} : { _csrf: options.token }), ...options.fields };
  const body = multipartBody(fields, {
    name: 'image',
    fileName: options.fileName ?? 'photo.png',
    contentType: options.contentType ?? 'image/png',
    data: options.data,
  });
  return browser.request({ method: 'POST', url: action, payload: body.payload, headers: { 'content-type': body.contentType } });
}

describeEachDatabase('image uploads', ({ handle }) => {
  it('stores a PNG under DATA_DIR/uploads and serves it publicly with its type', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const token = csrfTokenIn((await browser.get('/admin/uploads')).body);
    const response = await upload(browser, '/admin/uploads', { token, data: TINY_PNG, fileName: '../../etc/passwd.png' });
    expect(response.statusCode).toBe(303);
    const id = response.headers.location?.match(/uploaded=([0-9a-f-]{36})$/)?.[1];
    expect(id).toBeDefined();
    const row = await test.ctx.db.selectFrom('publishing_uploads').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      file_name: `${id}.png`,
      content_type: 'image/png',
      size_bytes: TINY_PNG.length,
      original_name: 'passwd.png',
    });
    expect(await fs.readFile(path.join(test.dataDir, 'uploads', `${id}.png`))).toEqual(TINY_PNG);

    const served = await test.app.inject({ method: 'GET', url: `/uploads/${id}` });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toContain('public');
    expect(served.rawPayload).toEqual(TINY_PNG);
    expect((await test.app.inject({ method: 'GET', url: '/uploads/not-a-uuid' })).statusCode).toBe(400);
    expect((await test.app.inject({ method: 'GET', url: '/uploads/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    const audit = await test.ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', id!).execute();
    expect(audit).toEqual([{ action: 'upload.created' }]);
    await test.close();
  });

  it('refuses a ".png" that is really text, whatever the browser says it is', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const token = csrfTokenIn((await browser.get('/admin/uploads')).body);
    const response = await upload(browser, '/admin/uploads', { token, data: Buffer.from('<script>alert(1)</script> not an image') });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('The file is not a PNG, JPEG, GIF or WebP image.');
    expect(await test.ctx.db.selectFrom('publishing_uploads').select('id').execute()).toEqual([]);
    await expect(fs.readdir(path.join(test.dataDir, 'uploads'))).rejects.toThrow();
    await test.close();
  });

  it('answers 413 with a plain message for a file over 5 MB', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const token = csrfTokenIn((await browser.get('/admin/uploads')).body);
    const big = Buffer.concat([TINY_PNG, Buffer.alloc(6 * 1024 * 1024)]);
    const response = await upload(browser, '/admin/uploads', { token, data: big });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('Images can be at most 5 MB.');
    expect(await test.ctx.db.selectFrom('publishing_uploads').select('id').execute()).toEqual([]);
    await test.close();
  });

  it('enforces the form token on multipart posts, and refuses signed-out uploads before reading them', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    await browser.get('/admin/uploads'); // the CSRF cookie is set, but the token is not sent
    expect((await upload(browser, '/admin/uploads', { token: undefined, data: TINY_PNG })).statusCode).toBe(403);
    expect((await upload(browser, '/admin/uploads', { token: 'forged-token', data: TINY_PNG })).statusCode).toBe(403);
    expect(
      (await upload(browser, `/admin/articles/${DEMO_DRAFTABLE}/image`, { token: undefined, data: TINY_PNG, fields: { newImageAlt: 'x' } }))
        .statusCode,
    ).toBe(403);
    const { app } = test;
    const signedOut = await app.inject({
      method: 'POST',
      url: '/admin/uploads',
      payload: multipartBody({}).payload,
      headers: { 'content-type': multipartBody({}).contentType },
    });
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toMatch(/^\/login/);
    expect(await test.ctx.db.selectFrom('publishing_uploads').select('id').execute()).toEqual([]);
    await test.close();
  });

  it('gives an article its image only with alt text, and records the change', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const created = await browser.submit('/admin/articles/new', '/admin/articles', {
      title: 'With a picture',
      summary: 'A summary.',
      body: 'Text.',
      intent: 'save',
    });
    const page = created.headers.location!.split('?')[0]!;
    const token = csrfTokenIn((await browser.get(page)).body);
    const noAlt = await upload(browser, `${page}/image`, { token, data: TINY_PNG, fields: { newImageAlt: '  ' } });
    expect(noAlt.statusCode).toBe(400);
    expect(noAlt.body).toContain('Enter alt text describing the image.');
    expect(await test.ctx.db.selectFrom('publishing_uploads').select('id').execute()).toEqual([]);

    const ok = await upload(browser, `${page}/image`, { token, data: TINY_PNG, fields: { newImageAlt: 'Officers at a school fair' } });
    expect(ok.statusCode).toBe(303);
    const articleId = page.split('/').at(-1)!;
    const article = await test.ctx.db
      .selectFrom('publishing_articles')
      .select(['image_upload_id', 'image_alt'])
      .where('id', '=', articleId)
      .executeTakeFirstOrThrow();
    expect(article.image_alt).toBe('Officers at a school fair');
    expect(article.image_upload_id).toMatch(/^[0-9a-f-]{36}$/);
    // Clearing the alt text of an article with an image is refused on the article form too.
    const cleared = await browser.submit(page, page, {
      title: 'With a picture',
      summary: 'A summary.',
      body: 'Text.',
      imageAlt: '',
      intent: 'save',
    });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.body).toContain('Describe the image for people who cannot see it');
    const changes = await test.ctx.db
      .selectFrom('publishing_article_revisions')
      .select('change')
      .where('article_id', '=', articleId)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.change)).toEqual(['created', 'edited']);
    await test.close();
  });
});
