import * as assert from "assert";
import type { K8sObject } from "../../../policies/lib/k8s";
import { buildDataTls, CERT_MANAGER_NAMESPACE, DATA_CA_BUNDLE, DATA_CA_ISSUER } from "../../../components/data/dataTls";
import { buildDataConfig, buildStatefulSet, type DataStoreArgs } from "../../../components/data/dataStore";
import { CONFIG_CHECKSUM_ANNOTATION } from "../../../components/workloads/workload";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";

/** Every pod template of the rendered objects, with the kind, namespace and name of its owner. */
function podTemplates(objects: K8sObject[]): { owner: string; namespace: string; spec: any }[] {
    return objects.flatMap((o) => {
        const template =
            o.kind === "CronJob"
                ? o.spec.jobTemplate.spec.template
                : ["Deployment", "StatefulSet", "Job"].includes(o.kind)
                  ? o.spec.template
                  : undefined;
        return template
            ? [{ owner: `${o.kind} ${o.metadata!.namespace}/${o.metadata!.name}`, namespace: o.metadata!.namespace!, spec: template.spec }]
            : [];
    });
}

/** Whether a container connects to PostgreSQL or Redis: it reads a connection URL or libpq's PG* settings. */
const connectsToData = (c: any) =>
    (c.env ?? []).some((e: any) => ["DATABASE_URL", "REDIS_URL", "PGHOST"].includes(e.name) || e.valueFrom?.secretKeyRef?.key === "REDIS_URL");

/** A data store with nothing but what the StatefulSet needs. */
const BASE_STORE: DataStoreArgs = {
    spec: { name: "postgres", namespace: "voting-data", component: "database", port: 5432, replicas: 1, requests: {}, limits: {} } as any,
    stack: "prod",
    image: { repository: "docker.io/library/postgres", tag: "16" } as any,
    portName: "postgres",
    args: [],
    env: [],
    dataPath: "/var/lib/postgresql/data",
    storageClassName: "retained",
    storageSize: "1Gi",
    scratchPaths: [],
    liveness: {},
    readiness: {},
    startup: {},
};

describe("data-layer TLS (1.4.3, 6.2.3)", () => {
    it("keeps the data CA in cert-manager's namespace behind the ClusterIssuer voting-data-ca, its key kept on renewal", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const ca = objs.find((o) => o.kind === "Certificate" && o.metadata?.name === DATA_CA_ISSUER)!;
        assert.strictEqual(ca.metadata?.namespace, CERT_MANAGER_NAMESPACE);
        assert.deepStrictEqual([ca.spec.isCA, ca.spec.secretName, ca.spec.privateKey.rotationPolicy], [true, DATA_CA_ISSUER, "Never"]);
        assert.deepStrictEqual(ca.spec.issuerRef, { name: "voting-data-selfsigned", kind: "Issuer", group: "cert-manager.io" });
        const selfSigned = objs.find((o) => o.kind === "Issuer" && o.metadata?.name === "voting-data-selfsigned")!;
        assert.deepStrictEqual([selfSigned.metadata?.namespace, selfSigned.spec], [CERT_MANAGER_NAMESPACE, { selfSigned: {} }]);
        const issuer = objs.find((o) => o.kind === "ClusterIssuer" && o.metadata?.name === DATA_CA_ISSUER)!;
        assert.deepStrictEqual(issuer.spec, { ca: { secretName: DATA_CA_ISSUER } });
    });

    it("issues the PostgreSQL and Redis server certificates for the Service names in the prod connection strings", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const urls = objs.find((o) => o.kind === "ExternalSecret" && o.metadata?.name === "app-connections")!.spec.target.template.data;
        const hostOf = (url: string) => /@([^:/]+):\d+\//.exec(url)![1];
        for (const [server, url] of [
            ["postgres", urls.DATABASE_URL],
            ["redis", urls.REDIS_URL],
        ]) {
            const cert = objs.find((o) => o.kind === "Certificate" && o.metadata?.name === `${server}-tls`)!;
            assert.strictEqual(cert.metadata?.namespace, "voting-data");
            assert.ok(cert.spec.dnsNames.includes(hostOf(url)), `${hostOf(url)} is not among ${cert.spec.dnsNames}`);
            assert.deepStrictEqual(
                [cert.spec.usages, cert.spec.issuerRef.kind, cert.spec.issuerRef.name],
                [["digital signature", "server auth"], "ClusterIssuer", DATA_CA_ISSUER],
            );
        }
    });

    it("mounts the data CA bundle of its namespace at /tls in every prod container that connects to PostgreSQL or Redis", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const bundles = objs
            .filter((o) => o.kind === "Certificate" && o.metadata?.name === DATA_CA_BUNDLE.secretName)
            .map((o) => o.metadata!.namespace);
        const clients: string[] = [];
        for (const pod of podTemplates(objs)) {
            for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers].filter(connectsToData)) {
                clients.push(`${pod.owner} ${c.name}`);
                const mount = (c.volumeMounts ?? []).find((m: any) => m.mountPath === DATA_CA_BUNDLE.mountPath);
                const volume = pod.spec.volumes.find((v: any) => v.name === mount?.name);
                assert.deepStrictEqual(volume?.secret?.secretName, DATA_CA_BUNDLE.secretName, `${pod.owner} ${c.name} does not mount the CA bundle`);
                assert.ok(bundles.includes(pod.namespace), `no CA bundle in ${pod.namespace}`);
            }
        }
        // Jobs that run every release carry the release's suffix in their names.
        assert.deepStrictEqual(clients.map((c) => c.replace(/-[0-9a-f]{8} /, "-<release> ")).sort(), [
            "CronJob voting-data/postgres-backup dump",
            "CronJob voting-data/postgres-restore restore",
            "CronJob voting-data/postgres-restore-test restore-and-verify",
            "Deployment voting-api/api api",
            "Deployment voting-consumer/consumer consumer",
            "Job voting-api/schema-migrate-<release> migrate",
            "Job voting-api/verify-e2e-<release> cleanup",
            "Job voting-api/verify-e2e-<release> count",
            "Job voting-api/verify-e2e-<release> count-baseline",
            "Job voting-api/verify-e2e-<release> stream",
            "Job voting-api/verify-e2e-<release> stream-baseline",
            "Job voting-api/verify-performance-<release> record",
            "Job voting-api/verify-smoke-<release> consumer",
            "Job voting-consumer/stream-bootstrap stream-bootstrap",
        ]);
        assert.deepStrictEqual(bundles.sort(), ["voting-api", "voting-consumer", "voting-data"]);
    });

    it("gives client bundles a client-auth certificate only, so a bundle's key can never pass for a data server", () => {
        const { certificates } = buildDataTls({
            stack: "prod",
            dataNamespace: "voting-data",
            servers: ["postgres"],
            clientNamespaces: ["voting-api"],
        });
        const bundle = certificates.find((c) => c.metadata?.namespace === "voting-api")!;
        assert.deepStrictEqual(
            [bundle.spec!.usages, bundle.spec!.dnsNames, bundle.spec!.secretName],
            [["digital signature", "client auth"], undefined, "data-ca-bundle"],
        );
    });

    it("renders no data CA in staging, whose data connections are plain TCP", async () => {
        const objs = kubernetesObjects(await rendered("staging"));
        assert.deepStrictEqual(
            objs
                .filter(
                    (o) =>
                        ["Certificate", "Issuer", "ClusterIssuer"].includes(o.kind) &&
                        o.metadata?.name !== "voting-tls" &&
                        o.metadata?.name !== "letsencrypt-staging",
                )
                .map((o) => o.metadata?.name),
            [],
        );
        const urls = objs.find((o) => o.kind === "Secret" && o.metadata?.name === "app-connections")!.stringData;
        assert.match(urls.DATABASE_URL, /\?sslmode=prefer$/);
        assert.match(urls.REDIS_URL, /^redis:\/\/.*\/0$/);
    });

    it("has the prod PostgreSQL read its client authentication from postgres-config: TLS or the local socket, by scram-sha-256, and no plain host line", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const config = objs.find((o) => o.kind === "ConfigMap" && o.metadata?.namespace === "voting-data" && o.metadata.name === "postgres-config")!;
        const lines = String(config.data["pg_hba.conf"])
            .split("\n")
            .map((l) => l.trim())
            .filter((l) => l !== "" && !l.startsWith("#"))
            .map((l) => l.split(/\s+/));
        assert.deepStrictEqual(lines, [
            ["local", "all", "all", "scram-sha-256"],
            ["hostssl", "all", "all", "all", "scram-sha-256"],
        ]);
        const sts = objs.find((o) => o.kind === "StatefulSet" && o.metadata?.name === "postgres")!;
        const server = sts.spec.template.spec.containers.find((c: any) => c.name === "postgres");
        const at = server.args.indexOf("hba_file=/etc/postgresql/pg_hba.conf");
        assert.ok(at > 0 && server.args[at - 1] === "-c", server.args.join(" "));
        const mount = server.volumeMounts.find((m: any) => m.mountPath === "/etc/postgresql");
        assert.deepStrictEqual(mount, { name: "config", mountPath: "/etc/postgresql", readOnly: true });
        const volume = sts.spec.template.spec.volumes.find((v: any) => v.name === "config");
        assert.strictEqual(volume.configMap.name, "postgres-config");
        assert.match(sts.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION], /^[0-9a-f]{64}$/);
    });

    it("rolls the PostgreSQL pod when its configuration files change: the template carries their checksum", () => {
        const args = (hba: string) => ({ ...BASE_STORE, configFiles: { mountPath: "/etc/postgresql", files: { "pg_hba.conf": hba } } });
        const digest = (hba: string) => (buildStatefulSet(args(hba)).spec as any).template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
        assert.strictEqual(digest("hostssl all all all scram-sha-256\n"), digest("hostssl all all all scram-sha-256\n"));
        assert.notStrictEqual(digest("hostssl all all all scram-sha-256\n"), digest("host all all all scram-sha-256\n"));
        assert.strictEqual(buildDataConfig(BASE_STORE), undefined);
        assert.strictEqual((buildStatefulSet(BASE_STORE).spec as any).template.metadata.annotations, undefined);
    });

    it("gives the staging PostgreSQL no configuration ConfigMap: its pg_hba.conf is initdb's, as staging has no TLS", async () => {
        const objs = kubernetesObjects(await rendered("staging"));
        assert.strictEqual(objs.filter((o) => o.kind === "ConfigMap" && o.metadata?.name === "postgres-config").length, 0);
        const sts = objs.find((o) => o.kind === "StatefulSet" && o.metadata?.name === "postgres")!;
        assert.ok(!sts.spec.template.spec.containers[0].args.some((a: string) => a.startsWith("hba_file=")));
    });
});
