import { at, bucketName, list, ofType, str, T } from "./cloud";
import type { CloudResource } from "./rule";

/** The S3 companion resources (versioning, encryption, …) of one of the given types that configure `bucket`. */
export function companions(resources: readonly CloudResource[], types: string | readonly string[], bucket: CloudResource): CloudResource[] {
    const name = bucketName(bucket);
    return name === undefined ? [] : ofType(resources, types).filter((c) => at(c, "bucket") === name);
}

/** Buckets that are the destination of a replication rule: replicas, judged as copies rather than sources. */
export function replicaBuckets(resources: readonly CloudResource[]): Set<string> {
    const arns = ofType(resources, T.s3Replication).flatMap((c) =>
        list(at(c, "rules")).map((r) => str(at(r as Record<string, unknown>, "destination", "bucket"))),
    );
    return new Set(
        ofType(resources, T.s3Bucket)
            .filter((b) => arns.includes(str(at(b, "arn")) ?? `arn:aws:s3:::${bucketName(b)}`))
            .map((b) => b.name),
    );
}

/** The blob service, containers or management policy of an Azure storage account. */
export function accountParts(resources: readonly CloudResource[], type: string, account: CloudResource): CloudResource[] {
    const name = str(at(account, "accountName")) ?? str(at(account, "name"));
    return ofType(resources, type).filter((p) => at(p, "accountName") === name);
}
