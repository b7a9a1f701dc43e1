import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requirePersistentStorage } from "../../../../policies/rules/reliability/requirePersistentStorage";
import { asPodKind, containerOf, POD_KINDS, postgresStatefulSet, redisStatefulSet } from "../../../helpers/dataFixtures";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const check = (obj: K8sObject) => violations(requirePersistentStorage, obj);
const claimSpec = (x: K8sObject) => x.spec.volumeClaimTemplates[0].spec;

describe(requirePersistentStorage.name, () => {
    it("accepts PostgreSQL and Redis StatefulSets whose claims name their StorageClass and are mounted", () => {
        assert.deepStrictEqual(check(postgresStatefulSet()), []);
        assert.deepStrictEqual(check(redisStatefulSet()), []);
    });

    it("refuses a claim template with no storageClassName, and one that turns provisioning off", () => {
        assert.deepStrictEqual(check(withChange(postgresStatefulSet(), (x) => delete claimSpec(x).storageClassName)), [
            "StatefulSet voting-data/postgres: volumeClaimTemplate data names no storageClassName, so the cluster's default class decides how it is provisioned and whether it is kept; name the class",
        ]);
        assert.deepStrictEqual(check(withChange(postgresStatefulSet(), (x) => (claimSpec(x).storageClassName = ""))), [
            'StatefulSet voting-data/postgres: volumeClaimTemplate data sets storageClassName "", which turns dynamic provisioning off; name a class',
        ]);
    });

    it("reads storageClassName null as unset", () => {
        assert.deepStrictEqual(check(withChange(postgresStatefulSet(), (x) => (claimSpec(x).storageClassName = null))), [
            "StatefulSet voting-data/postgres: volumeClaimTemplate data names no storageClassName, so the cluster's default class decides how it is provisioned and whether it is kept; name the class",
        ]);
    });

    it("names a claim template without a name by its place in the list", () => {
        assert.deepStrictEqual(check(withChange(postgresStatefulSet(), (x) => delete x.spec.volumeClaimTemplates[0].metadata)), [
            "StatefulSet voting-data/postgres: volumeClaimTemplate #0 is mounted by no container; its data goes elsewhere",
        ]);
    });

    it("refuses claim templates of a StatefulSet without a pod template, which mounts none of them", () => {
        assert.deepStrictEqual(check(withChange(postgresStatefulSet(), (x) => delete x.spec.template)), [
            "StatefulSet voting-data/postgres: volumeClaimTemplate data is mounted by no container; its data goes elsewhere",
        ]);
    });

    it("refuses a claim template no container mounts", () => {
        const unmounted = withChange(redisStatefulSet(), (x) => (containerOf(x).volumeMounts = containerOf(x).volumeMounts.slice(1)));
        assert.deepStrictEqual(check(unmounted), [
            "StatefulSet voting-data/redis: volumeClaimTemplate data is mounted by no container; its data goes elsewhere",
        ]);
    });

    it("refuses a PostgreSQL or Redis StatefulSet without claim templates", () => {
        assert.deepStrictEqual(check(withChange(postgresStatefulSet(), (x) => delete x.spec.volumeClaimTemplates)), [
            "StatefulSet voting-data/postgres: runs PostgreSQL with no volumeClaimTemplates, so its data lives only as long as the pod; add one with a storageClassName",
        ]);
        assert.deepStrictEqual(check(withChange(redisStatefulSet(), (x) => (x.spec.volumeClaimTemplates = []))), [
            "StatefulSet voting-data/redis: runs Redis with no volumeClaimTemplates, so its data lives only as long as the pod; add one with a storageClassName",
        ]);
    });

    it("asks nothing of a StatefulSet that runs no data server, nor of other kinds", () => {
        assert.deepStrictEqual(check(asPodKind("StatefulSet", compliantDeployment())), []);
        for (const kind of POD_KINDS.filter((k) => k !== "StatefulSet")) {
            assert.deepStrictEqual(check(withChange(asPodKind(kind, postgresStatefulSet()), (x) => delete x.spec.volumeClaimTemplates)), [], kind);
        }
    });

    it("blocks the registry's mutants of 2.4.1 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("2.4.1", "PostgreSQL's claim names no StorageClass"), [
            "require-persistent-storage: StatefulSet voting-data/postgres: volumeClaimTemplate data names no storageClassName, so the cluster's default class decides how it is provisioned and whether it is kept; name the class",
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("2.4.1", "Redis keeps its data without volumeClaimTemplates"), [
            "require-persistent-storage: StatefulSet voting-data/redis: runs Redis with no volumeClaimTemplates, so its data lives only as long as the pod; add one with a storageClassName",
        ]);
    });
});
