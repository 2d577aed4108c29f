import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import { cached } from "#shared/cached.ts";
import { readDocument, type VersionedDocument } from "#shared/documents/versioned-document.ts";
import { type Consortium, ConsortiumSchema, DEFAULT_CONSORTIA, municipalityMap } from "./consortia.ts";

/** The consortia and their municipalities: the shipped defaults until an administrator changes them. */
export const CONSORTIUM_MAP: VersionedDocument<{ version: number; consortia: Consortium[] }> = {
  key: { pk: "CONSORTIA", sk: "ACTIVE" },
  initialVersion: 0,
  absent: () => ({ version: 0, consortia: [...DEFAULT_CONSORTIA] }),
  parse: (item) => ({
    version: Number(item.version ?? 0),
    consortia: z.array(ConsortiumSchema).parse(item.consortia),
  }),
  conflict: "Someone changed the consortia at the same time",
};

export interface ConsortiumDirectory {
  consortia: readonly Consortium[];
  byId: ReadonlyMap<string, Consortium>;
  /** municipality code → consortium id */
  municipalities: ReadonlyMap<string, string>;
}

export function directory(consortia: readonly Consortium[]): ConsortiumDirectory {
  return {
    consortia,
    byId: new Map(consortia.map((c) => [c.id, c])),
    municipalities: municipalityMap(consortia),
  };
}

/** The consortium map as a directory, cached: what the workers and the inbox route and look up by. */
export class ConsortiumProvider {
  readonly current: () => Promise<ConsortiumDirectory>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    cacheSeconds: number,
  ) {
    this.current = cached(async () => {
      const map = await readDocument(this.db, this.tableName, CONSORTIUM_MAP, { fresh: false });
      return directory(map.consortia);
    }, cacheSeconds * 1000);
  }
}
