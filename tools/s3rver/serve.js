'use strict';
// Starts s3rver for the tests: on 127.0.0.1 and a free port, which it prints as
// "S3rver listening on 127.0.0.1:PORT", keeping its objects in the directory given.
//
// It bridges what s3rver 3.7.1 lacks and the storage tests rely on, as Amazon S3 does it:
// - CopyObject: s3rver reads x-amz-copy-source with decodeURI, which keeps the %2F that the AWS
//   SDK for .NET sends for each "/" of "bucket/key", so every copy would name no bucket.
// - AbortMultipartUpload (DELETE ?uploadId=) and ListMultipartUploads (GET ?uploads), which
//   s3rver refuses, so the tests can check that a failed write leaves no upload behind.
// - UploadPartCopy (PUT ?partNumber=&uploadId= with x-amz-copy-source), which s3rver refuses,
//   so moving an object too large for one CopyObject can be tested.
const fs = require('fs/promises');
const path = require('path');
const S3rver = require('s3rver');

const directory = process.argv[2];
if (!directory) {
  console.error('usage: node serve.js DIRECTORY');
  process.exit(2);
}

const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false });
const uploadsOf = bucket => server.store.getResourcePath(bucket, undefined, 'uploads');
const xml = text => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function abortUpload(ctx, bucket, uploadId) {
  if (!/^[0-9a-f]+$/.test(uploadId)) {
    ctx.throw(400, 'bad upload id');
  }
  const dir = path.join(uploadsOf(bucket), uploadId);
  try {
    await fs.access(dir);
  } catch {
    ctx.status = 404;
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>';
    return;
  }
  await fs.rm(dir, { recursive: true, force: true });
  ctx.status = 204;
}

async function listUploads(ctx, bucket, prefix) {
  let ids = [];
  try {
    ids = await fs.readdir(uploadsOf(bucket));
  } catch {
    // no upload was ever started in this bucket
  }
  const uploads = [];
  for (const id of ids) {
    const key = await fs.readFile(path.join(uploadsOf(bucket), id, 'key'), 'utf8');
    if (key.startsWith(prefix)) {
      uploads.push(`<Upload><Key>${xml(key)}</Key><UploadId>${id}</UploadId></Upload>`);
    }
  }
  ctx.type = 'application/xml';
  ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Bucket>${xml(bucket)}</Bucket><Prefix>${xml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
    `${uploads.join('')}</ListMultipartUploadsResult>`;
}

async function copyPart(ctx, bucket, uploadId, partNumber) {
  if (!/^[0-9a-f]+$/.test(uploadId) || !/^[0-9]+$/.test(partNumber)) {
    ctx.throw(400, 'bad upload id or part number');
  }
  const [sourceBucket, ...sourceKey] = decodeURIComponent(ctx.get('x-amz-copy-source')).replace(/^\//, '').split('/');
  const [start, end] = ctx.get('x-amz-copy-source-range').replace('bytes=', '').split('-').map(Number);
  const source = await server.store.getObject(sourceBucket, sourceKey.join('/'), { start, end });
  if (!source || !source.content) {
    ctx.throw(source ? 416 : 404, 'no such source object or range');
  }
  const { md5 } = await server.store.putPart(bucket, uploadId, partNumber, source.content);
  ctx.type = 'application/xml';
  ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<CopyPartResult><LastModified>${new Date().toISOString()}</LastModified><ETag>"${md5}"</ETag></CopyPartResult>`;
}

server.middleware.unshift(async (ctx, next) => {
  const [bucket, ...key] = ctx.path.split('/').filter(Boolean);
  if (ctx.method === 'PUT' && key.length > 0 && ctx.query.uploadId && ctx.get('x-amz-copy-source')) {
    return copyPart(ctx, bucket, ctx.query.uploadId, ctx.query.partNumber);
  }
  if (ctx.method === 'DELETE' && key.length > 0 && ctx.query.uploadId) {
    return abortUpload(ctx, bucket, ctx.query.uploadId);
  }
  if (ctx.method === 'GET' && key.length === 0 && 'uploads' in ctx.query) {
    return listUploads(ctx, bucket, ctx.query.prefix || '');
  }
  const source = ctx.get('x-amz-copy-source');
  if (source) {
    ctx.request.headers['x-amz-copy-source'] = source.replace(/%2F/gi, '/');
  }
  return next();
});

server.run().then(({ address, port }) => console.log('S3rver listening on %s:%d', address, port));
