import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireRetainedStorage } from "../../../../policies/rules/reliability/requireRetainedStorage";
import { postgresStatefulSet, retainStorageClass } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const PG = "StatefulSet voting-data/postgres";
const check = (objects: K8sObject[], cfg: Record<string, unknown> = {}) => violations(requireRetainedStorage, objects, cfg);
const claim = (storageClassName?: string): K8sObject => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "uploads", namespace: "voting-api" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...(storageClassName ? { storageClassName } : {}) },
});

describe(requireRetainedStorage.name, () => {
    it("accepts claims of a Retain class with a provisioner, and a StatefulSet that retains its claims", () => {
        assert.deepStrictEqual(check([postgresStatefulSet(), retainStorageClass(), claim("voting-retain")]), []);
        assert.deepStrictEqual(
            check([withChange(postgresStatefulSet(), (x) => delete x.spec.persistentVolumeClaimRetentionPolicy), retainStorageClass()]),
            [],
        );
    });

    it("refuses a class that deletes volumes, or says nothing and so deletes them", () => {
        assert.deepStrictEqual(check([postgresStatefulSet(), withChange(retainStorageClass(), (x) => (x.reclaimPolicy = "Delete"))]), [
            `${PG}: volumeClaimTemplate data uses StorageClass voting-retain, whose reclaimPolicy is Delete: deleting the claim deletes the volume; set reclaimPolicy Retain`,
        ]);
        assert.deepStrictEqual(check([claim("voting-retain"), withChange(retainStorageClass(), (x) => delete x.reclaimPolicy)]), [
            "PersistentVolumeClaim voting-api/uploads: its claim uses StorageClass voting-retain, whose reclaimPolicy is unset (Delete): deleting the claim deletes the volume; set reclaimPolicy Retain",
        ]);
    });

    it("refuses a class that provisions nothing", () => {
        assert.deepStrictEqual(
            check([postgresStatefulSet(), withChange(retainStorageClass(), (x) => (x.provisioner = "kubernetes.io/no-provisioner"))]),
            [
                `${PG}: volumeClaimTemplate data uses StorageClass voting-retain, which provisions nothing (kubernetes.io/no-provisioner); use a CSI provisioner`,
            ],
        );
    });

    it("refuses a class outside the resource set unless the settings list it as retaining", () => {
        const gp3 = withChange(postgresStatefulSet(), (x) => (x.spec.volumeClaimTemplates[0].spec.storageClassName = "gp3"));
        assert.deepStrictEqual(check([gp3, retainStorageClass()]), [
            `${PG}: volumeClaimTemplate data uses StorageClass gp3, which is not in the resource set, so whether it keeps volumes cannot be checked; create it with reclaimPolicy Retain or list it in retainClasses`,
        ]);
        assert.deepStrictEqual(check([gp3], { retainClasses: ["gp3"] }), []);
    });

    it("refuses a StatefulSet that deletes its claims when deleted or scaled down", () => {
        const deleting = withChange(
            postgresStatefulSet(),
            (x) => (x.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: "Delete", whenScaled: "Delete" }),
        );
        assert.deepStrictEqual(check([deleting, retainStorageClass()]), [
            `${PG}: persistentVolumeClaimRetentionPolicy.whenDeleted is Delete: deleting the StatefulSet deletes its claims and their data; set Retain`,
            `${PG}: persistentVolumeClaimRetentionPolicy.whenScaled is Delete: scaling it down deletes its claims and their data; set Retain`,
        ]);
    });

    it("names a claim template without a name by its place in the list", () => {
        const unnamed = withChange(postgresStatefulSet(), (x) => delete x.spec.volumeClaimTemplates[0].metadata);
        assert.deepStrictEqual(check([unnamed, withChange(retainStorageClass(), (x) => (x.reclaimPolicy = "Delete"))]), [
            `${PG}: volumeClaimTemplate #0 uses StorageClass voting-retain, whose reclaimPolicy is Delete: deleting the claim deletes the volume; set reclaimPolicy Retain`,
        ]);
    });

    it("judges claims, not the PersistentVolumes that name a class too", () => {
        const pv: K8sObject = {
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: { name: "uploads" },
            spec: {
                capacity: { storage: "1Gi" },
                accessModes: ["ReadWriteOnce"],
                storageClassName: "gp3",
                csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-1" },
            },
        };
        assert.deepStrictEqual(check([pv]), []);
    });

    it("leaves claims without a class to require-persistent-storage", () => {
        assert.deepStrictEqual(check([claim()]), []);
    });

    it("blocks the registry's mutants of 2.4.2 on the rendered prod stack", async () => {
        const del = "uses StorageClass voting-retain, whose reclaimPolicy is Delete: deleting the claim deletes the volume; set reclaimPolicy Retain";
        assert.deepStrictEqual(await registryMutantBlockers("2.4.2", "the data StorageClass deletes volumes with their claims"), [
            `require-retained-storage: ${PG}: volumeClaimTemplate data ${del}`,
            `require-retained-storage: StatefulSet voting-data/redis: volumeClaimTemplate data ${del}`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("2.4.2", "PostgreSQL's claims are deleted with its StatefulSet"), [
            `require-retained-storage: ${PG}: persistentVolumeClaimRetentionPolicy.whenDeleted is Delete: deleting the StatefulSet deletes its claims and their data; set Retain`,
        ]);
    });
});
