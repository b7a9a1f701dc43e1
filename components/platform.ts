import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/types";
import { resolveWorkloads, type ResolvedWorkload } from "../config/workloads";
import { StreamScaler } from "./autoscaling/streamScaler";
import { DataStore } from "./data/dataStore";
import { DataTls, DATA_CA_BUNDLE, dataTlsEnabled } from "./data/dataTls";
import { buildStorageClass } from "./data/storageClass";
import { maxConnections, postgresArgs, redisArgs } from "./data/stores";
import { capacitySummary, type CapacitySummary } from "./capacity";
import { BackupStorage } from "./cloud/backupStorage";
import { CloudSecrets } from "./cloud/cloudSecrets";
import { secretName, type CloudSecretsConfig } from "./cloud/credentials";
import type { ClusterHandle } from "./cloud/identity";
import { PostgresBackup } from "./jobs/postgresBackup";
import { PublicIngress } from "./ingress/publicIngress";
import { StreamBootstrap } from "./jobs/streamBootstrap";
import { SchemaMigration } from "./jobs/schemaMigration";
import { releaseSuffix } from "./release";
import { AlertRouting, Dashboards, Monitoring } from "./monitoring/monitoring";
import { Namespaces } from "./namespaces/namespaces";
import { TrafficPolicies } from "./network/networkPolicies";
import { AccessRoles } from "./rbac/accessRoles";
import { DeployedKinds } from "./rbac/deployedKinds";
import { buildPriorityClass } from "./scheduling/priorityClass";
import { APP_CONNECTIONS, AppSecrets, DATA_ENDPOINTS, REDIS_AUTH, STORE } from "./secrets/appSecrets";
import { PullSecrets } from "./secrets/pullSecrets";
import { apiArgs, consumerArgs, frontendArgs, STREAM } from "./workloads/apps";
import { ConnectivityVerification } from "./verify/connectivity";
import { PostDeployChecks } from "./verify/postDeploy";
import { LoadTests } from "./loadtest/loadTests";
import { LogStorage } from "./cloud/logStorage";
import { vaultNameOf } from "./cloud/azure/secrets";
import { Telemetry } from "./observability/telemetry";
import { ApiCanary } from "./workloads/canary";
import { Workload } from "./workloads/workload";

/** The whole voting platform for one stack: namespaces, secrets, workloads, autoscaling, ingress. */
export class VotingPlatform extends pulumi.ComponentResource {
    public readonly namespaces: string[];
    public readonly capacity: CapacitySummary;
    public readonly workloads: readonly ResolvedWorkload[];
    /** In-cluster endpoints of the app services. */
    public readonly endpoints: Record<string, string>;
    public readonly url: string;
    /** Where PostgreSQL backups go: the bucket (or Azure account/container) off the cluster. */
    public readonly backupLocation: pulumi.Output<string>;

    /**
     * `cluster`: the cluster the stack created, whose workload identities are granted the secrets and the
     * bucket; give `opts.providers` its Kubernetes provider. Without it the stack targets an existing cluster.
     */
    constructor(name: string, cfg: PlatformConfig, opts?: pulumi.ComponentResourceOptions, cluster?: ClusterHandle) {
        // Every Kubernetes object below is recorded as it is constructed: the deploy role grants exactly those kinds.
        const deployed = new DeployedKinds();
        super("voting:index:VotingPlatform", name, {}, { ...opts, transformations: [...(opts?.transformations ?? []), deployed.transformation] });
        this.workloads = resolveWorkloads(cfg);
        const spec = (n: string) => this.workloads.find((w) => w.name === n)!;

        const ns = new Namespaces(
            `${name}-ns`,
            { stack: cfg.stack, workloads: this.workloads, storage: cfg.storage, cni: cfg.cni, kubernetesVersion: cfg.kubernetesVersion },
            { parent: this },
        );
        this.namespaces = ns.sizing.map((s) => s.namespace);
        const inNamespaces = { parent: this, dependsOn: Object.values(ns.namespaces) };

        // Policies first: no pod of the platform ever runs unisolated.
        const network = new TrafficPolicies(`${name}-network`, { config: cfg, workloads: this.workloads }, inNamespaces);
        const priority = new k8s.scheduling.v1.PriorityClass(`${name}-priority`, buildPriorityClass(cfg.stack), { parent: this });
        const endpoints = DATA_ENDPOINTS(dataTlsEnabled(cfg));
        const s = cfg.secrets;
        // The log service's connection strings in Key Vault (Azure): renewed by the rotation function, never rotated.
        const logsEntry = cfg.features.logShipping && s.backend === "azure-key-vault" ? secretName(s.backend, cfg.stack, "logs") : undefined;
        let cloudSecrets: CloudSecrets | undefined;
        if (s.backend === "aws-secrets-manager" || s.backend === "gcp-secret-manager" || s.backend === "azure-key-vault") {
            cloudSecrets = new CloudSecrets(
                `${name}-cloud-secrets`,
                {
                    cloud: cfg.cloud,
                    secrets: s as CloudSecretsConfig,
                    stack: cfg.stack,
                    reader: cluster?.identities.externalSecrets,
                    ...(logsEntry ? { renewed: [logsEntry] } : {}),
                },
                { parent: this },
            );
        }
        const secrets = new AppSecrets(`${name}-secrets`, { secrets: cfg.secrets, cloud: cfg.cloud, stack: cfg.stack, endpoints }, inNamespaces);
        const pull = cfg.images.pullSecret
            ? new PullSecrets(
                  `${name}-pull-secrets`,
                  { name: cfg.images.pullSecret, registry: cfg.images.registry, cloud: cfg.cloud, stack: cfg.stack },
                  inNamespaces,
              )
            : undefined;
        const before = [priority, ...secrets.ready, ...(pull?.ready ?? []), ...network.policies];

        const dataNs = spec("postgres").namespace;
        const storage = cfg.storage.create
            ? [
                  new k8s.storage.v1.StorageClass(`${name}-storage`, buildStorageClass(cfg.storage.className, cfg.cloud, cfg.stack), {
                      parent: this,
                      protect: true,
                      retainOnDelete: true,
                  }),
              ]
            : [];
        // Every namespace with a client of PostgreSQL or Redis gets the CA bundle: the apps, the stream bootstrap, the backups.
        const clientNamespaces = [...new Set([spec("api").namespace, spec("consumer").namespace, dataNs])];
        const tls = endpoints.tls
            ? new DataTls(
                  `${name}-data-tls`,
                  { stack: cfg.stack, dataNamespace: dataNs, servers: ["postgres", "redis"], clientNamespaces },
                  inNamespaces,
              )
            : undefined;
        const dataBefore = [...before, ...storage, ...(tls?.ready ?? [])];
        const maxConn = maxConnections(spec("api"), spec("consumer"), cfg.app.dbPoolSize);
        const data = {
            postgres: new DataStore(
                `${name}-postgres`,
                { ...postgresArgs(cfg, spec("postgres"), maxConn, tls ? "postgres-tls" : undefined), startAfter: dataBefore },
                inNamespaces,
            ),
            redis: new DataStore(
                `${name}-redis`,
                { ...redisArgs(cfg, spec("redis"), tls ? "redis-tls" : undefined), startAfter: dataBefore },
                inNamespaces,
            ),
        };

        const consumer = spec("consumer");
        const bootstrap = new StreamBootstrap(
            `${name}-stream-bootstrap`,
            {
                namespace: consumer.namespace,
                stack: cfg.stack,
                image: cfg.images.redis,
                stream: STREAM.name,
                group: STREAM.group,
                connectionSecret: APP_CONNECTIONS,
                imagePullSecret: cfg.images.pullSecret,
                tls: endpoints.tls,
            },
            { parent: this, dependsOn: [...Object.values(ns.namespaces), ...secrets.ready, ...(tls?.ready ?? []), data.redis.statefulSet] },
        );

        const release = releaseSuffix(cfg);
        const migration = new SchemaMigration(
            `${name}-schema-migration`,
            {
                namespace: spec("api").namespace,
                stack: cfg.stack,
                image: cfg.images.postgres,
                appVersion: cfg.images.api.tag,
                release,
                connectionSecret: APP_CONNECTIONS,
                imagePullSecret: cfg.images.pullSecret,
                tls: endpoints.tls,
            },
            {
                parent: this,
                dependsOn: [...Object.values(ns.namespaces), ...secrets.ready, ...network.policies, ...(tls?.ready ?? []), data.postgres.statefulSet],
            },
        );

        // The collector comes up before the apps that send it logs and traces.
        const telemetry =
            cfg.features.logShipping || cfg.features.tracing
                ? new Telemetry(
                      `${name}-telemetry`,
                      {
                          config: cfg,
                          logs: cfg.features.logShipping
                              ? new LogStorage(
                                    `${name}-logs`,
                                    {
                                        cloud: cfg.cloud,
                                        stack: cfg.stack,
                                        retentionDays: { app: cfg.logging.appRetentionDays, audit: cfg.logging.auditRetentionDays },
                                        keyVault:
                                            cfg.secrets.backend === "azure-key-vault"
                                                ? {
                                                      vaultName: vaultNameOf(cfg.secrets.keyVaultUrl),
                                                      entry: logsEntry!,
                                                      rotationDays: cfg.secrets.rotationDays,
                                                      renewer: cloudSecrets?.renewer,
                                                  }
                                                : undefined,
                                    },
                                    { parent: this, dependsOn: cloudSecrets ? [cloudSecrets] : [] },
                                ).destinations
                              : undefined,
                          startAfter: before,
                      },
                      inNamespaces,
                  )
                : undefined;
        const appsAfter = telemetry ? [telemetry.collector.deployment] : [];

        const api = new Workload(
            `${name}-api`,
            { ...apiArgs(cfg, spec("api")), startAfter: [...before, ...(tls?.ready ?? []), migration.job, ...appsAfter] },
            inNamespaces,
        );
        const canary = cfg.canary
            ? new ApiCanary(`${name}-api-canary`, { api: apiArgs(cfg, spec("api")), canary: cfg.canary, startAfter: [api.deployment] }, inNamespaces)
            : undefined;
        const apps = {
            // nginx resolves the canary's Service name at start, so the frontend starts after that Service.
            frontend: new Workload(
                `${name}-frontend`,
                { ...frontendArgs(cfg, spec("frontend"), spec("api")), startAfter: [...before, ...(canary ? [canary.service] : [])] },
                inNamespaces,
            ),
            api,
            consumer: new Workload(
                `${name}-consumer`,
                { ...consumerArgs(cfg, consumer), startAfter: [...before, bootstrap.job, migration.job, ...appsAfter] },
                inNamespaces,
            ),
        };
        new StreamScaler(
            `${name}-consumer-scaler`,
            {
                workload: consumer,
                stack: cfg.stack,
                redisAddress: endpoints.redisHost,
                tls: endpoints.tls,
                ...(endpoints.tls ? { caSecret: DATA_CA_BUNDLE.secretName } : {}),
                stream: STREAM.name,
                group: STREAM.group,
                passwordSecret: REDIS_AUTH,
            },
            { parent: this, dependsOn: [apps.consumer.deployment] },
        );
        const ingress = new PublicIngress(
            `${name}-ingress`,
            { ingress: cfg.ingress, frontend: spec("frontend"), stack: cfg.stack, requestSizeLimit: cfg.app.requestSizeLimit },
            { parent: this, dependsOn: [apps.frontend.service] },
        );

        const monitoring = cfg.features.monitoring
            ? new Monitoring(
                  `${name}-monitoring`,
                  { stack: cfg.stack, api: spec("api"), consumer, dataNamespace: dataNs },
                  { parent: this, dependsOn: [apps.api.service, apps.consumer.service] },
              )
            : undefined;
        const nsOf = { api: spec("api").namespace, consumer: consumer.namespace, data: dataNs };
        const dashboards = cfg.features.monitoring
            ? new Dashboards(`${name}-dashboards`, { stack: cfg.stack, namespaces: nsOf }, { parent: this })
            : undefined;
        if (cfg.features.monitoring) {
            new AlertRouting(
                `${name}-alert-routing`,
                {
                    stack: cfg.stack,
                    namespace: nsOf.api,
                    receivers: cfg.alerting.receivers,
                    externalSecrets:
                        cfg.secrets.backend === "pulumi"
                            ? undefined
                            : {
                                  refreshInterval: cfg.secrets.refreshInterval,
                                  store: STORE,
                                  remoteKey: secretName(cfg.secrets.backend, cfg.stack, "alerting"),
                              },
                },
                { parent: this, dependsOn: [...Object.values(ns.namespaces), ...secrets.ready] },
            );
        }
        if (cfg.features.verificationJobs) {
            const ready = [...Object.values(apps).map((a) => a.deployment), data.postgres.statefulSet, data.redis.statefulSet, ...network.policies];
            new ConnectivityVerification(
                `${name}-verify`,
                {
                    config: cfg,
                    release,
                    workloads: this.workloads,
                    image: cfg.images.redis,
                    imagePullSecret: cfg.images.pullSecret,
                },
                { parent: this, dependsOn: ready },
            );
            new PostDeployChecks(
                `${name}-checks`,
                {
                    config: cfg,
                    api: spec("api"),
                    frontend: spec("frontend"),
                    release,
                    connectionSecret: APP_CONNECTIONS,
                    tls: endpoints.tls,
                    stream: STREAM,
                    monitoring:
                        monitoring && dashboards
                            ? {
                                  targets: monitoring.targets,
                                  ruleGroups: monitoring.ruleGroups,
                                  alerts: monitoring.alerts,
                                  dashboards: dashboards.uids,
                              }
                            : undefined,
                },
                { parent: this, dependsOn: [...ready, ingress, ...(monitoring ? [monitoring, dashboards!] : [])] },
            );
        }

        if (cfg.features.loadTests) {
            new LoadTests(
                `${name}-load-tests`,
                {
                    namespace: spec("api").namespace,
                    stack: cfg.stack,
                    image: cfg.images.k6,
                    frontend: spec("frontend"),
                    imagePullSecret: cfg.images.pullSecret,
                },
                { parent: this, dependsOn: [...Object.values(ns.namespaces), ...network.policies] },
            );
        }

        this.backupLocation = new BackupStorage(
            `${name}-backups`,
            { cloud: cfg.cloud, stack: cfg.stack, retentionDays: cfg.backup.retentionDays, writer: cluster?.identities.backupWriter },
            { parent: this },
        ).location;
        new PostgresBackup(
            `${name}-postgres-backup`,
            {
                namespace: dataNs,
                stack: cfg.stack,
                schedule: cfg.backup.schedule,
                postgresImage: cfg.images.postgres,
                rcloneImage: cfg.images.rclone,
                imagePullSecret: cfg.images.pullSecret,
                cloud: cfg.cloud,
                location: this.backupLocation,
                identity: cluster?.identities.backupWriter.annotation ?? cfg.backup.identity,
                tls: endpoints.tls,
                retentionDays: cfg.backup.retentionDays,
            },
            { parent: this, dependsOn: [data.postgres.statefulSet, ...network.policies, ...(tls?.ready ?? [])] },
        );

        // Last: the access roles are built from everything the program rendered above.
        new AccessRoles(`${name}-access`, { rbac: cfg.rbac, stack: cfg.stack, deployed }, inNamespaces);

        this.url = ingress.url;
        this.endpoints = Object.fromEntries([...Object.entries(apps), ...Object.entries(data)].map(([k, w]) => [k, w.endpoint]));
        this.capacity = capacitySummary(cfg.environment, this.workloads);
        this.registerOutputs({
            namespaces: this.namespaces,
            url: this.url,
            endpoints: this.endpoints,
            capacity: this.capacity,
            backupLocation: this.backupLocation,
        });
    }
}
