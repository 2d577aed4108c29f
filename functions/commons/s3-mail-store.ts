import { DeleteObjectCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { cached } from "#shared/cached.ts";
import { MAX_INBOUND_BYTES } from "#shared/conversation/inbound.ts";

/** Where SES inbound put each raw message: read it, and delete it once handled. */
export interface InboundMailStore {
  /** The first MAX_INBOUND_BYTES + 1 bytes: enough for `receiveReply` to know a larger one is too large. */
  read(key: string): Promise<Uint8Array>;
  remove(key: string): Promise<void>;
}

type S3 = Pick<S3Client, "send">;

/**
 * The S3 bucket SES inbound writes to. A read is a ranged GetObject (SES accepts messages up to
 * 40 MB; a reply is at most 256 KB), so an oversized message is never held in memory whole.
 */
export function s3MailStore(
  bucket: string,
  region: string,
  client: () => Promise<S3> = cached(async () => new S3Client({ region }), Number.POSITIVE_INFINITY),
): InboundMailStore {
  return {
    async read(key) {
      const s3 = await client();
      const object = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${MAX_INBOUND_BYTES}` }),
      );
      if (!object.Body) throw new Error("inbound mail object has no body");
      return object.Body.transformToByteArray();
    },
    async remove(key) {
      const s3 = await client();
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}
