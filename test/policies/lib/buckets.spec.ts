import * as assert from "assert";
import { accountParts, companions, replicaBuckets } from "../../../policies/lib/buckets";
import { T } from "../../../policies/lib/cloud";
import type { CloudResource } from "../../../policies/lib/rule";

const res = (type: string, name: string, props: Record<string, unknown>): CloudResource => ({ type, name, props });
const names = (rs: readonly CloudResource[]) => rs.map((r) => r.name);

describe("S3 companions and replicas", () => {
    const versioning = (name: string, props: Record<string, unknown>) => res(T.s3Versioning[0], name, props);

    it("finds a bucket's companions by its name, or by its id when the engine reports only that, and none for a bucket with neither", () => {
        const named = res(T.s3Bucket[0], "backups", { bucket: "voting-backups" });
        const byId = res(T.s3Bucket[1], "logs", { id: "voting-logs-0123abcd" });
        const unnamed = res(T.s3Bucket[0], "scratch", {});
        const resources = [
            named,
            byId,
            unnamed,
            versioning("backups-versioning", { bucket: "voting-backups" }),
            versioning("logs-versioning", { bucket: "voting-logs-0123abcd" }),
            versioning("orphan-versioning", {}),
        ];
        assert.deepStrictEqual(names(companions(resources, T.s3Versioning, named)), ["backups-versioning"]);
        assert.deepStrictEqual(names(companions(resources, T.s3Versioning, byId)), ["logs-versioning"]);
        assert.deepStrictEqual(companions(resources, T.s3Versioning, unnamed), []);
    });

    it("finds a replica by its ARN in any partition, or by the ARN its name makes while the ARN is not known yet", () => {
        const replication = res(T.s3Replication, "backups-replication", {
            bucket: "voting-backups",
            rules: [
                { id: "china", status: "Enabled", destination: { bucket: "arn:aws-cn:s3:::voting-backups-cn" } },
                { id: "preview", status: "Enabled", destination: { bucket: "arn:aws:s3:::voting-backups-replica" } },
            ],
        });
        const resources = [
            res(T.s3Bucket[0], "backups", { bucket: "voting-backups", arn: "arn:aws:s3:::voting-backups" }),
            res(T.s3Bucket[0], "backups-cn", { bucket: "voting-backups-cn", arn: "arn:aws-cn:s3:::voting-backups-cn" }),
            res(T.s3Bucket[0], "backups-replica", { bucket: "voting-backups-replica" }),
            replication,
        ];
        assert.deepStrictEqual([...replicaBuckets(resources)], ["backups-cn", "backups-replica"]);
    });
});

describe("Azure storage account parts", () => {
    it("finds each account's own parts, by its accountName or, for an account named by the engine, by its name", () => {
        const named = res(T.storageAccount, "backups", { accountName: "votingbackups" });
        const autonamed = res(T.storageAccount, "archive", { name: "archive0123abcd" });
        const resources = [
            named,
            autonamed,
            res(T.blobService, "backups-blob-service", { accountName: "votingbackups", isVersioningEnabled: true }),
            res(T.blobService, "archive-blob-service", { accountName: "archive0123abcd" }),
        ];
        assert.deepStrictEqual(names(accountParts(resources, T.blobService, named)), ["backups-blob-service"]);
        assert.deepStrictEqual(names(accountParts(resources, T.blobService, autonamed)), ["archive-blob-service"]);
    });
});
