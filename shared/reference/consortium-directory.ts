import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import { cached } from "#shared/cached.ts";
import { type Consortium, ConsortiumSchema, DEFAULT_CONSORTIA, municipalityMap } from "./consortia.ts";

export const CONSORTIA_KEY = { pk: "CONSORTIA", sk: "ACTIVE" } as const;

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

/** The consortia and their municipalities: the shipped defaults until an administrator changes them. */
export class ConsortiumProvider {
  readonly current: () => Promise<ConsortiumDirectory>;
  private readonly defaults = directory(DEFAULT_CONSORTIA);

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    cacheSeconds: number,
  ) {
    this.current = cached(() => this.load(), cacheSeconds * 1000);
  }

  private async load(): Promise<ConsortiumDirectory> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: CONSORTIA_KEY }));
    if (!Item) return this.defaults;
    return directory(z.array(ConsortiumSchema).parse(Item.consortia));
  }
}
