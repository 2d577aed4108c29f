import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import { type IndexName, type IndexProjection, TABLE, tableName } from "#shared/resources.ts";

export interface DataProps {
  /** `indgang-<stage>`. */
  readonly prefix: string;
}

/**
 * The case table: the source of truth (queues are only transport). Keys, indexes and the TTL
 * attribute come from `TABLE` in shared/resources.ts, the same description the local stack uses.
 *
 * - On-demand capacity: traffic is bursty and small; no capacity planning, no idle cost.
 * - Point-in-time recovery (35 days), deletion protection and `RETAIN` on stack delete: a
 *   mistaken `cdk destroy` or a bad deploy can never take the cases with it.
 * - Encryption with the AWS-managed key `aws/dynamodb`: every use of the key is visible in
 *   CloudTrail, there is no key to administer or to lose, and no monthly key charge. A
 *   customer-managed key would add crypto-shredding and cross-account key policies, which
 *   Indgang does not need (retention is enforced per item with TTL).
 */
export class Data extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);

    this.table = new Table(this, "Cases", {
      tableName: tableName(props.prefix),
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.AWS_MANAGED,
    });

    for (const index of Object.values(TABLE.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...projectionOf(index.projection),
      });
    }
  }

  /** The ARN of one index, for IAM statements that may query it and nothing else. */
  indexArn(index: IndexName): string {
    return `${this.table.tableArn}/index/${TABLE.indexes[index].name}`;
  }
}

function projectionOf(projection: IndexProjection): {
  projectionType: ProjectionType;
  nonKeyAttributes?: string[];
} {
  if (projection === "ALL") return { projectionType: ProjectionType.ALL };
  if (projection === "KEYS_ONLY") return { projectionType: ProjectionType.KEYS_ONLY };
  return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...projection] };
}
