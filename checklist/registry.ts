/**
 * Every checklist ID, with what carries it and the mutants and rehearsals that prove it. Titles and enforce
 * columns come from checklist/checklist.md. How to add an item, a mutant or a rehearsal: docs/checklist.md.
 */
import { BACKUP_RETENTION_ANNOTATION, CNI_ANNOTATION, K8S_VERSION_ANNOTATION, SECRET_RELOAD_ANNOTATION } from "../policies/lib/annotations";
import { allowFlow, drop, inlineSecret, moveImage, mutant, MutantError, set, unset, untagDigest, type WorkloadRef } from "./mutants";
import type { ChecklistItem } from "./types";

const API: WorkloadRef = ["Deployment", "voting-api/api"];
const CONSUMER: WorkloadRef = ["Deployment", "voting-consumer/consumer"];
const FRONTEND: WorkloadRef = ["Deployment", "voting-frontend/frontend"];
const POSTGRES: WorkloadRef = ["StatefulSet", "voting-data/postgres"];
const REDIS: WorkloadRef = ["StatefulSet", "voting-data/redis"];
/** The rehearsals of the rendered stacks (test/rehearsal/): full mocha titles, per stack. */
const REHEARSED = (stack: "prod" | "staging") => {
    const of = `rehearsal of the rendered ${stack} stack`;
    const tls = stack === "prod";
    return {
        bootstrap: [
            `${of} runs the ${stack} stream-bootstrap Job as its pod spec says against the rendered Redis${tls ? " over verified TLS" : ""}, creating stream votes with group vote-processors`,
            `${of} runs the ${stack} stream-bootstrap Job a second time and leaves the existing group as it was`,
        ],
        backup: [
            `${of} backs up the ${stack} PostgreSQL with the rendered backup CronJob${tls ? " over verify-full TLS" : ""}, and its restore CronJob brings back the lost rows`,
        ],
        restoreTest: [
            `${of} runs the ${stack} quarterly restore test CronJob${tls ? " over verify-full TLS" : ""}: the newest dump restored into a scratch database, its votes table checked, the scratch database dropped`,
        ],
        verify: ["api", "consumer"].map(
            (w) =>
                `${of} runs the ${stack} verify-connectivity Job of ${w}, whose checks of the PostgreSQL and Redis connections pass against the rendered servers`,
        ),
        clients: [
            ...["api", "consumer"].map(
                (w) =>
                    `${of} connects with the ${stack} ${w}'s DATABASE_URL (libpq) and REDIS_URL (redis-py) from its pod's env and mounts${tls ? ", verifying both servers against the data CA" : ""}`,
            ),
            `${of} authenticates to the ${stack} Redis with what KEDA's TriggerAuthentication names${tls ? ", verifying the server at the ScaledObject's address against its CA" : ""}`,
        ],
        plaintext: [
            `${of} ${tls ? "refuses" : "accepts"} a connection to the ${stack} PostgreSQL and Redis that does not ask for TLS, from the API's pod`,
        ],
    };
};
const PROD = REHEARSED("prod");
const STAGING = REHEARSED("staging");
/** A password rotation rehearsed on the rendered data servers (6.1.3): the sidecars and PostgreSQL's start take the Secret's new value. */
const ROTATION = (stack: "prod" | "staging") => {
    const tls = stack === "prod" ? " over TLS" : "";
    return [
        `the ${stack} Redis sidecar makes a rotated password log in${tls} while the previous one still does, so consumer pods started before the rotation keep connecting`,
        `the ${stack} Redis sidecar drops the oldest password at the next rotation and keeps the two newest`,
        `the ${stack} Redis server's own probes follow the rotated password from the Secret volume`,
        `the ${stack} PostgreSQL sidecar sets a rotated password on the role over the local socket: it logs in${tls}, the old one no longer does`,
        `the ${stack} consumer pods started before a PostgreSQL rotation open no new connection until they restart with the new Secret (the window the runbook describes)`,
        `the ${stack} PostgreSQL takes the Secret's password at start when it changed while the server was down`,
    ].map((t) => `rehearsal of a ${stack} password rotation: the data servers take the Secret's new password by themselves ${t}`);
};
/** Prod clients refusing servers they must not trust. */
const TLS_REFUSALS = [
    "servers whose certificates another CA signed the prod stream-bootstrap Job refuses a Redis whose certificate another CA signed",
    "servers whose certificates another CA signed the prod backup CronJob refuses a PostgreSQL whose certificate another CA signed",
    "servers whose certificates another CA signed the prod API's connection strings refuse PostgreSQL and Redis whose certificates another CA signed",
    "servers whose data-CA certificates carry another name the prod backup CronJob refuses a PostgreSQL certificate issued for another name (sslmode=verify-full)",
    "servers whose data-CA certificates carry another name the prod consumer's connection strings refuse PostgreSQL and Redis certificates issued for another name",
    "servers whose certificates another CA signed the prod schema-migrate Job refuses a PostgreSQL whose certificate another CA signed, and migrates nothing",
    "servers whose certificates another CA signed the prod end-to-end check's Redis and PostgreSQL steps refuse servers whose certificates another CA signed",
    "servers whose data-CA certificates carry another name the prod schema-migrate Job and the smoke check's PostgreSQL step refuse a certificate issued for another name (sslmode=verify-full)",
    "servers whose certificates another CA signed the prod performance check's record step refuses a PostgreSQL whose certificate another CA signed, and fails",
    "servers whose data-CA certificates carry another name the prod performance check's record step refuses a PostgreSQL certificate issued for another name (sslmode=verify-full), and fails",
].map((t) => `rehearsal of prod's data-layer TLS: clients refuse servers they must not trust ${t}`);
/** Prod's data servers taking a renewed certificate from the data CA without a restart, and refusing a key that does not match it. */
const CERT_RENEWAL = [
    "the prod PostgreSQL serves a renewed data-CA certificate to new verify-full connections, with the same postmaster",
    "the prod Redis serves a renewed data-CA certificate to new verified connections, with the same server process",
    "the prod PostgreSQL and Redis keep serving their certificate when a renewal's key does not match it, their sidecars say so, and take the next matching pair",
].map((t) => `rehearsal of a prod certificate renewal: the data servers take the renewed certificate without a restart ${t}`);
/** The rendered alert rules run under promtool on the failures the checklist names (8.4). */
const ALERTS_FIRE = (stack: "prod" | "staging") =>
    [
        "fires VotingApiPodsUnavailable (P1) when an API pod is deleted and no ready pod replaces it for 5 minutes, and not when its replacement is ready sooner",
        "fires VotingPodCrashLooping (P1) at the third restart within 5 minutes, naming the pod and its namespace, and not at the second",
        "fires VotingPostgresDown (P0) after a minute without a ready PostgreSQL replica, and not while one is ready",
        "fires VotingApiHighErrorRate (P0) after 5 minutes of 2% 5xx responses, and not at 0.5%",
        "fires VotingStreamLagHigh (P1) after 5 minutes above 1000 waiting votes, and not at 1000",
        "escalates a crash loop firing for 15 minutes to VotingEscalatedP1 (P0), naming the alert, pod and namespace it escalates",
        "fails the run when a case expects an alert before its for elapses or with another severity",
    ].map((t) => `the rendered ${stack} alert rules under promtool (3.4.1, 3.4.2, 8.4) ${t}`);
/** The migration and the post-deploy checks' data steps, run from their rendered pod specs against the rendered servers. */
const CHECKS_REHEARSED = (stack: "prod" | "staging") => {
    const of = `rehearsal of the ${stack} migration and post-deploy checks against the rendered PostgreSQL and Redis`;
    const over = stack === "prod" ? "over TLS verified against the data CA" : "over plain TCP";
    return {
        migration: `${of} runs the ${stack} schema-migrate Job as its pod spec says ${over}, applying every migration`,
        smoke: `${of} runs the ${stack} smoke Job's consumer step ${over}, finding the processed event of its test run`,
        performance: `${of} runs the ${stack} performance Job's record step ${over}, keeping the figures the load step left in /work as a row of performance_baselines`,
        e2e: `${of} runs the ${stack} end-to-end Job's Redis and PostgreSQL steps ${over}: baseline, the entry drained, stored, counted, and every test vote removed`,
    };
};
const PROD_CHECKS = CHECKS_REHEARSED("prod");
const STAGING_CHECKS = CHECKS_REHEARSED("staging");
/** The checks' HTTP steps as the rendered prod Jobs run them, over HTTPS to the public host with the certificate verified. */
const PUBLIC_TLS = (() => {
    const of = "the prod post-deploy checks over the public HTTPS path, verifying the server certificate (8.1, 7.2.1, 7.2.2, 7.3.3)";
    return {
        rendered: `${of} renders the smoke and end-to-end Jobs' HTTP steps for the Ingress's host, with TLS_VERIFY=true and CONNECT_TO the ingress controller`,
        smoke: `${of} passes the prod smoke Job over HTTPS to the public host, its certificate verified against the trusted CA`,
        e2e: `${of} passes the prod end-to-end Job with its vote and GET /api/results over HTTPS to the public host, verified`,
        otherHost: `${of} fails the prod smoke and end-to-end Jobs, naming the mismatch, when the certificate is for another host name`,
        untrusted: `${of} fails the prod smoke and end-to-end Jobs when a CA the image does not trust signed the certificate, and sends no vote`,
    };
})();
/** The checks' shell against the stand-in of the app over plain HTTP, as staging's checks (TLS_VERIFY=false) reach it. */
const STAND_IN = (t: string) => `post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) ${t}`;
/** The input step of the smoke check against the stand-in of the app (1.3.1, 1.3.2, 7.4.3, 7.4.4). */
const INPUT = (t: string) => STAND_IN(`input validation (1.3.1, 1.3.2, 7.4.3, 7.4.4) ${t}`);
const INPUT_REFUSALS = {
    passes: INPUT("passes when the app refuses off-ballot options, SQL fragments, bodies that are not JSON and bodies over the limit"),
    anyOption: INPUT("fails, naming each body, when the app takes any option without validating it"),
    serverError: INPUT("fails when a body that is not JSON makes the app answer 500"),
    bodyLimit: INPUT("fails when the public path takes a body over its limit"),
    oneByteOver: INPUT("sends exactly one byte over MAX_BODY_BYTES: a limit one byte higher takes the body, and the check fails"),
    results: INPUT("fails when GET /api/results lists an option off the ballot"),
};
const INPUT_RENDERED =
    "post-deploy checks (8.1, 8.3, 8.4, 7.3.3) trusts staging's ACME test certificate on purpose, and renders nothing when the checks are off";
/** SQL injection (1.3.2, and its audit 7.4.4): the audited API image pinned, and the input step refusing SQL fragments on both paths. */
const SQL_INJECTION_EVIDENCE = {
    met: { policies: ["require-image-digest"], verify: ["voting:verify:PostDeployChecks"], docs: ["docs/input-validation.md"] },
    mutants: [
        mutant("the API image is pinned by tag only, so another build than the audited one may run", (s) => untagDigest(s.container(...API, "api"))),
    ],
    rehearsals: {
        prod: [PUBLIC_TLS.smoke],
        staging: [INPUT_RENDERED, INPUT_REFUSALS.passes, INPUT_REFUSALS.anyOption, INPUT_REFUSALS.results],
    },
};
/** The performance baseline kept past the check Job (5.3.1, 7.5.2): its record step over each stack's path, and the script against a real PostgreSQL. */
const BASELINE_REHEARSED = {
    prod: [PROD_CHECKS.performance, ...TLS_REFUSALS.filter((t) => t.includes("performance check's record step"))],
    staging: [
        STAGING_CHECKS.performance,
        ...[
            "performance writes the figures it prints to WORK_DIR/baseline for the record step",
            "performance baseline record (5.3.1, 7.5.2) inserts one row with exactly the figures the load step wrote",
            "performance baseline record (5.3.1, 7.5.2) keeps every release's baseline: a second run adds a second row",
            "performance baseline record (5.3.1, 7.5.2) records what the load step measured against the app, its figures passed through WORK_DIR",
            "performance baseline record (5.3.1, 7.5.2) fails with PostgreSQL's reason when the table is missing (the schema migration has not run)",
        ].map(STAND_IN),
    ],
};
const APP_CONNECTIONS: WorkloadRef = ["ExternalSecret", "voting-api/app-connections"];
/** Careless changes that leave a prod data connection unverified or a server open to plain or old TLS (1.4.3, 6.2.3). */
const TLS_MUTANTS = [
    mutant("the API's DATABASE_URL settles for sslmode=require, which accepts any server", (s) => {
        const data = s.object(...APP_CONNECTIONS).spec.target.template.data;
        if (!String(data.DATABASE_URL).includes("sslmode=verify-full")) throw new MutantError("DATABASE_URL has no sslmode=verify-full");
        data.DATABASE_URL = data.DATABASE_URL.replace("sslmode=verify-full", "sslmode=require");
    }),
    mutant("the API's REDIS_URL speaks plain redis://", (s) => {
        const data = s.object(...APP_CONNECTIONS).spec.target.template.data;
        if (!String(data.REDIS_URL).startsWith("rediss://")) throw new MutantError("REDIS_URL is not rediss://");
        data.REDIS_URL = data.REDIS_URL.replace("rediss://", "redis://");
    }),
    mutant("the backup's dump step connects with PGSSLMODE=require", (s) =>
        set(s.env(s.container("CronJob", "voting-data/postgres-backup", "dump"), "PGSSLMODE"), "value", "require"),
    ),
    mutant("KEDA reads the stream lag from Redis over plain TCP", (s) =>
        set(s.object("ScaledObject", "voting-consumer/consumer").spec.triggers[0], "metadata.enableTLS", "false"),
    ),
    mutant("PostgreSQL runs with ssl off", (s) => {
        const args: string[] = s.container(...POSTGRES, "postgres").args;
        const at = args.indexOf("ssl=on");
        if (at < 0) throw new MutantError("PostgreSQL's args do not set ssl=on");
        args[at] = "ssl=off";
    }),
    mutant("PostgreSQL's pg_hba.conf takes TCP clients without TLS (a host line beside hostssl)", (s) => {
        const config = s.object("ConfigMap", "voting-data/postgres-config");
        if (!String(config.data?.["pg_hba.conf"]).includes("hostssl")) throw new MutantError("postgres-config has no hostssl line");
        config.data["pg_hba.conf"] = `${config.data["pg_hba.conf"]}host all all all scram-sha-256\n`;
    }),
    mutant("PostgreSQL reads initdb's pg_hba.conf, whose host line takes TCP clients in the clear", (s) => {
        const args: string[] = s.container(...POSTGRES, "postgres").args;
        const at = args.findIndex((a) => a.startsWith("hba_file="));
        if (at < 1) throw new MutantError("PostgreSQL's args set no hba_file");
        args.splice(at - 1, 2);
    }),
    mutant("Redis opens its plain port next to the TLS one", (s) => {
        const args: string[] = s.container(...REDIS, "redis").args;
        const at = args.indexOf("--port");
        if (at < 0) throw new MutantError("Redis's args have no --port");
        args[at + 1] = "6380";
    }),
    mutant("Redis accepts TLS 1.0", (s) => {
        const args: string[] = s.container(...REDIS, "redis").args;
        const at = args.indexOf("--tls-protocols");
        if (at < 0) throw new MutantError("Redis's args have no --tls-protocols");
        args[at + 1] = "TLSv1 TLSv1.2 TLSv1.3";
    }),
];
const S3_ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const S3_PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const S3_REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const S3_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const S3_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
/** A credential a careless change writes in plain text. */
const LITERAL_URL = "postgresql://voting:s3cr3t-Passw0rd-1234@postgres.voting-data.svc.cluster.local/votes";

export const CHECKLIST: readonly ChecklistItem[] = [
    {
        id: "1.1.1",
        section: "Security",
        title: "All containers run as non-root (UIDs: frontend 1000, API 65532, consumer 1000; data layer too)",
        enforce: "infra + policy",
        met: { components: ["voting:workloads:Workload"], policies: ["require-non-root"] },
        mutants: [
            mutant("the API runs as its image's user, maybe root (runAsNonRoot and runAsUser dropped)", (s) => {
                unset(s.podSpec(...API), "securityContext.runAsNonRoot");
                unset(s.podSpec(...API), "securityContext.runAsUser");
            }),
            mutant("PostgreSQL runs as root", (s) => set(s.podSpec(...POSTGRES), "securityContext.runAsUser", 0)),
        ],
    },
    {
        id: "1.1.2",
        section: "Security",
        title: "Read-only root filesystem; writable emptyDir only where needed (/tmp, /var/run, nginx cache)",
        enforce: "infra + policy",
        met: { components: ["voting:workloads:Workload"], policies: ["require-read-only-root-filesystem"] },
        mutants: [
            mutant("the API's root filesystem is writable", (s) => set(s.container(...API, "api"), "securityContext.readOnlyRootFilesystem", false)),
        ],
    },
    {
        id: "1.1.3",
        section: "Security",
        title: "Capabilities: drop ALL, add none (allowPrivilegeEscalation false, not privileged, seccomp RuntimeDefault)",
        enforce: "infra + policy",
        met: {
            components: ["voting:workloads:Workload"],
            policies: [
                "disallow-privilege-escalation",
                "require-drop-all-capabilities",
                "disallow-privileged",
                "require-seccomp-profile",
                "disallow-unconfined-apparmor",
                "disallow-host-namespaces",
                "disallow-host-path",
                "disallow-host-ports",
                "disallow-unsafe-proc-mount-and-sysctls",
                "disallow-host-process",
            ],
        },
        mutants: [
            mutant("the consumer may escalate privileges", (s) =>
                set(s.container(...CONSUMER, "consumer"), "securityContext.allowPrivilegeEscalation", true),
            ),
            mutant("the API adds NET_RAW", (s) => set(s.container(...API, "api"), "securityContext.capabilities.add", ["NET_RAW"])),
            mutant("the frontend drops its seccomp profile", (s) => unset(s.podSpec(...FRONTEND), "securityContext.seccompProfile")),
        ],
    },
    {
        id: "1.1.4",
        section: "Security",
        title: "Images scanned: zero HIGH/CRITICAL (scan attestation or digest allow-list as config; policy can require an image digest or a `scanned` annotation)",
        enforce: "policy + doc",
        met: { policies: ["require-image-digest"], docs: ["docs/image-scanning.md"] },
        mutants: [mutant("the API image is pinned by tag only", (s) => untagDigest(s.container(...API, "api")))],
    },
    {
        id: "1.1.5",
        section: "Security",
        title: "Distroless/minimal images where possible (advisory allow-list of base images)",
        enforce: "policy (advisory)",
        met: { policies: ["require-minimal-images"], docs: ["docs/minimal-images.md"] },
        mutants: [
            mutant("the frontend runs nginx's full Debian image", (s) =>
                set(s.container(...FRONTEND, "frontend"), "image", "docker.io/library/nginx:1.27.3-bookworm"),
            ),
            mutant("the API runs its debug image, shell included, at the same tag and digest", (s) => {
                const api = s.container(...API, "api");
                const repository = /^(.+\/voting\/api)[:@]/.exec(String(api.image));
                if (!repository) throw new MutantError(`the API image ${api.image} is not a voting/api image`);
                moveImage(api, `${repository[1]}-debug`);
            }),
        ],
    },
    {
        id: "1.2.1",
        section: "Security",
        title: "NetworkPolicy enforcement: CNI supports NetworkPolicy (Calico/Cilium/cloud) — stack config declares the CNI; pack refuses a prod stack without it",
        enforce: "infra + policy",
        met: { components: ["voting:namespaces:Namespaces"], policies: ["require-enforcing-cni"] },
        mutants: [
            mutant("voting-data declares a CNI that does not enforce NetworkPolicy", (s) => {
                s.object("Namespace", "voting-data").metadata!.annotations![CNI_ANNOTATION] = "flannel";
            }),
        ],
    },
    {
        id: "1.2.2",
        section: "Security",
        title: "Default-deny ingress in all 4 namespaces",
        enforce: "infra + policy",
        met: { components: ["voting:network:TrafficPolicies"], policies: ["require-default-deny-ingress", "require-default-deny-egress"] },
        mutants: [
            mutant("voting-data loses its default-deny policy", (s) => s.remove("NetworkPolicy", "voting-data/default-deny")),
            mutant("voting-api's default-deny no longer isolates ingress", (s) =>
                set(s.object("NetworkPolicy", "voting-api/default-deny"), "spec.policyTypes", ["Egress"]),
            ),
            // Its namespace-wide DNS policy would still isolate every pod's egress: both must go for pods to be open.
            mutant("voting-data's default-deny and DNS policies no longer isolate egress", (s) => {
                set(s.object("NetworkPolicy", "voting-data/default-deny"), "spec.policyTypes", ["Ingress"]);
                s.remove("NetworkPolicy", "voting-data/allow-dns-egress");
            }),
            mutant("voting-api's default-deny admits all ingress again with a rule naming no peer and no port", (s) =>
                set(s.object("NetworkPolicy", "voting-api/default-deny"), "spec.ingress", [{}]),
            ),
        ],
    },
    {
        id: "1.2.3",
        section: "Security",
        title: "DNS egress to kube-dns:53 TCP/UDP from all namespaces (use `kubernetes.io/metadata.name`, not a hand-set `name` label)",
        enforce: "infra + policy",
        met: { components: ["voting:network:TrafficPolicies"], policies: ["require-dns-egress"] },
        mutants: [
            mutant("DNS egress selects kube-system by a hand-set name label", (s) =>
                set(s.object("NetworkPolicy", "voting-api/allow-dns-egress"), "spec.egress.0.to.0.namespaceSelector.matchLabels", {
                    name: "kube-system",
                }),
            ),
        ],
    },
    {
        id: "1.2.4",
        section: "Security",
        title: "Service-specific allows: frontend→API:8000, API→PostgreSQL:5432 and Redis:6379, consumer→PostgreSQL:5432 and Redis:6379, ingress controller→frontend",
        enforce: "infra + policy",
        met: { components: ["voting:network:TrafficPolicies"], policies: ["enforce-traffic-matrix"] },
        mutants: [
            mutant("the API's allow to PostgreSQL names port 80", (s) =>
                set(s.object("NetworkPolicy", "voting-data/allow-ingress-to-postgres"), "spec.ingress.0.ports.0.port", 80),
            ),
            mutant("the ingress controller's allow to the frontend is removed", (s) =>
                s.remove("NetworkPolicy", "voting-frontend/allow-ingress-to-frontend"),
            ),
        ],
    },
    {
        id: "1.2.5",
        section: "Security",
        title: "Network policies validated: 6 allowed + 3 denied connections (below) hold — checked statically before deploy, and by a post-deploy Job",
        enforce: "policy + verify",
        met: { policies: ["enforce-traffic-matrix", "require-network-policy-targets"], verify: ["voting:verify:ConnectivityVerification"] },
        mutants: [
            mutant("Redis's allow selects pods by a label no pod has", (s) =>
                set(s.object("NetworkPolicy", "voting-data/allow-ingress-to-redis"), "spec.podSelector", { matchLabels: { app: "redis" } }),
            ),
        ],
        rehearsals: {
            prod: [
                ...PROD.verify,
                "post-deploy connectivity verification (8.2) its script, run for real passes when every result matches the matrix",
                "post-deploy connectivity verification (8.2) its script, run for real fails, naming each difference, when a denied port answers or an allowed one does not",
            ],
            staging: [
                ...STAGING.verify,
                "post-deploy connectivity verification (8.2) its script, run for real passes when every result matches the matrix",
                "post-deploy connectivity verification (8.2) its script, run for real fails, naming each difference, when a denied port answers or an allowed one does not",
            ],
        },
    },
    {
        id: "1.2.6",
        section: "Security",
        title: "Ingress TLS: certificates (cert-manager/ACM/managed), HTTP→HTTPS redirect, TLS ≥1.2",
        enforce: "infra + policy",
        met: { components: ["voting:ingress:PublicIngress"], policies: ["require-ingress-tls"] },
        mutants: [
            mutant("the Ingress serves no TLS", (s) => unset(s.object("Ingress", "voting-frontend/voting"), "spec.tls")),
            mutant("the Ingress stops redirecting HTTP to HTTPS", (s) => {
                const annotations = s.object("Ingress", "voting-frontend/voting").metadata!.annotations!;
                annotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "false";
                drop(annotations, "nginx.ingress.kubernetes.io/force-ssl-redirect");
            }),
        ],
    },
    {
        id: "1.3.1",
        section: "Security",
        title: "API input validation: request body size limit (1 MB) set as config/annotation",
        enforce: "infra",
        met: { components: ["voting:workloads:Workload", "voting:ingress:PublicIngress"] },
    },
    {
        id: "1.3.2",
        section: "Security",
        title: "SQL injection prevention (application code; the program pins audited image versions)",
        enforce: "doc",
        ...SQL_INJECTION_EVIDENCE,
    },
    {
        id: "1.3.3",
        section: "Security",
        title: "CORS origins restricted: never `*` in prod",
        enforce: "infra + policy",
        met: { components: ["voting:workloads:Workload"], policies: ["disallow-wildcard-cors"] },
        mutants: [mutant("the API allows CORS from *", (s) => set(s.env(s.container(...API, "api"), "CORS_ORIGINS"), "value", "*"))],
    },
    {
        id: "1.3.4",
        section: "Security",
        title: "Secrets externalized (see 6.1)",
        enforce: "infra + policy",
        met: { components: ["voting:secrets:AppSecrets"], policies: ["disallow-secrets-in-env"] },
        mutants: [
            mutant("the API's database URL is a plain env value", (s) =>
                inlineSecret(s.env(s.container(...API, "api"), "DATABASE_URL"), LITERAL_URL),
            ),
        ],
    },
    {
        id: "1.4.1",
        section: "Security",
        title: "PostgreSQL password auth enforced (scram-sha-256, no trust), strong generated passwords (16+ chars)",
        enforce: "infra + policy",
        met: { components: ["voting:data:DataStore"], policies: ["require-postgres-password-auth", "require-strong-generated-passwords"] },
        mutants: [
            mutant("PostgreSQL trusts every client (POSTGRES_HOST_AUTH_METHOD=trust)", (s) =>
                s.container(...POSTGRES, "postgres").env.push({ name: "POSTGRES_HOST_AUTH_METHOD", value: "trust" }),
            ),
            mutant("PostgreSQL stores MD5 password hashes", (s) => {
                const args: string[] = s.container(...POSTGRES, "postgres").args;
                const at = args.indexOf("password_encryption=scram-sha-256");
                if (at < 0) throw new MutantError("PostgreSQL's args set no password_encryption");
                args[at] = "password_encryption=md5";
            }),
            mutant("PostgreSQL's initdb keeps trust for connections inside the pod", (s) =>
                set(s.env(s.container(...POSTGRES, "postgres"), "POSTGRES_INITDB_ARGS"), "value", "--auth-host=scram-sha-256"),
            ),
            mutant("the stack generates an 8-character database password", (s) =>
                s.cloud.push({ type: "random:index/randomPassword:RandomPassword", name: "postgres-password", props: { length: 8, special: false } }),
            ),
        ],
    },
    {
        id: "1.4.2",
        section: "Security",
        title: "Redis authentication (requirepass or ACL user)",
        enforce: "infra + policy",
        met: { components: ["voting:data:DataStore"], policies: ["require-redis-auth"] },
        mutants: [
            mutant("Redis runs without a password", (s) => {
                const args: string[] = s.container(...REDIS, "redis").args;
                const at = args.indexOf("--requirepass");
                if (at < 0) throw new MutantError("Redis's args have no --requirepass");
                args.splice(at, 2);
            }),
            mutant("Redis's password names a variable the container no longer defines", (s) =>
                set(s.env(s.container(...REDIS, "redis"), "REDIS_PASSWORD"), "name", "REDIS_AUTH"),
            ),
        ],
    },
    {
        id: "1.4.3",
        section: "Security",
        title: "Database connections use TLS (sslmode=require, rediss://) in prod",
        enforce: "infra + policy",
        met: {
            components: ["voting:data:DataTls", "voting:secrets:AppSecrets"],
            policies: ["require-verified-data-tls", "require-data-server-tls"],
            docs: ["docs/adr/0003-data-layer-trust.md"],
        },
        mutants: TLS_MUTANTS,
        rehearsals: {
            prod: [...PROD.bootstrap.slice(0, 1), ...PROD.backup, ...PROD.clients, ...PROD.plaintext, ...TLS_REFUSALS, ...CERT_RENEWAL],
            staging: "staging connects to the data layer without TLS by design; 1.4.3 asks for TLS in prod",
        },
    },
    {
        id: "1.4.4",
        section: "Security",
        title: "Data layer reachable only from API and consumer pods",
        enforce: "infra + policy",
        met: { components: ["voting:network:TrafficPolicies"], policies: ["enforce-traffic-matrix"] },
        mutants: [mutant("the frontend may reach Redis", (s) => allowFlow(s, FRONTEND, REDIS, 6379))],
    },
    {
        id: "2.1.1",
        section: "Reliability",
        title: "Liveness probes (API GET /health, frontend GET /, consumer health endpoint), failureThreshold 3",
        enforce: "infra + policy",
        met: { components: ["voting:workloads:Workload"], policies: ["require-liveness-probe"] },
        mutants: [
            mutant("the API loses its liveness probe", (s) => unset(s.container(...API, "api"), "livenessProbe")),
            mutant("the API's liveness probe restarts it after a single failure", (s) =>
                set(s.container(...API, "api"), "livenessProbe.failureThreshold", 1),
            ),
        ],
    },
    {
        id: "2.1.2",
        section: "Reliability",
        title: "Readiness probes (API GET /ready, frontend GET /, consumer readiness), initial delay 10s",
        enforce: "infra + policy",
        met: { components: ["voting:workloads:Workload"], policies: ["require-readiness-probe"] },
        mutants: [mutant("the API loses its readiness probe", (s) => unset(s.container(...API, "api"), "readinessProbe"))],
    },
    {
        id: "2.1.3",
        section: "Reliability",
        title: "Startup probes for slow starters (PostgreSQL 60s, Redis 30s)",
        enforce: "infra + policy",
        met: { components: ["voting:data:DataStore"], policies: ["require-startup-probe"] },
        mutants: [
            mutant("PostgreSQL's startup probe gives it 20 s where the checklist asks 60 s", (s) =>
                set(s.container(...POSTGRES, "postgres"), "startupProbe.failureThreshold", 10),
            ),
            mutant("Redis starts without a startup probe", (s) => unset(s.container(...REDIS, "redis"), "startupProbe")),
        ],
    },
    {
        id: "2.2.1",
        section: "Reliability",
        title: "Requests: API 256Mi/200m, consumer 128Mi/100m, frontend 64Mi/50m, PostgreSQL 512Mi/250m, Redis 256Mi/100m",
        enforce: "infra + policy",
        met: {
            components: ["voting:workloads:Workload", "voting:namespaces:Namespaces"],
            policies: ["require-resource-requests", "require-paired-requests-and-limits", "enforce-minimum-requests"],
        },
        mutants: [
            mutant("the API sets no memory request or limit", (s) => {
                unset(s.container(...API, "api"), "resources.requests.memory");
                unset(s.container(...API, "api"), "resources.limits.memory");
            }),
            mutant("the API requests 64Mi of memory where the checklist asks 256Mi", (s) =>
                set(s.container(...API, "api"), "resources.requests.memory", "64Mi"),
            ),
            mutant("PostgreSQL requests 100m of CPU where the checklist asks 250m", (s) =>
                set(s.container(...POSTGRES, "postgres"), "resources.requests.cpu", "100m"),
            ),
        ],
    },
    {
        id: "2.2.2",
        section: "Reliability",
        title: "Limits = 2× requests (API 512Mi/400m …)",
        enforce: "infra + policy",
        met: {
            components: ["voting:workloads:Workload", "voting:namespaces:Namespaces"],
            policies: ["require-resource-limits", "require-paired-requests-and-limits"],
        },
        mutants: [mutant("the API's CPU limit is 4x its request", (s) => set(s.container(...API, "api"), "resources.limits.cpu", "800m"))],
    },
    {
        id: "2.2.3",
        section: "Reliability",
        title: "QoS Guaranteed or Burstable, never BestEffort",
        enforce: "policy",
        met: { components: ["voting:namespaces:Namespaces"], policies: ["disallow-best-effort-qos"] },
        mutants: [mutant("the frontend sets no requests or limits", (s) => unset(s.container(...FRONTEND, "frontend"), "resources"))],
    },
    {
        id: "2.3.1",
        section: "Reliability",
        title: "Replicas: frontend 3, API 3, consumer ≥2 (prod)",
        enforce: "infra + policy",
        met: { components: ["voting:workloads:Workload"], policies: ["require-replicas"] },
        mutants: [mutant("the frontend runs one replica", (s) => set(s.object(...FRONTEND), "spec.replicas", 1))],
    },
    {
        id: "2.3.2",
        section: "Reliability",
        title: "Pod anti-affinity / topology spread across nodes",
        enforce: "infra + policy",
        met: { components: ["voting:workloads:Workload"], policies: ["require-pod-spread", "require-valid-topology-spread"] },
        mutants: [
            mutant("the API loses its spread across zones and nodes", (s) => {
                unset(s.podSpec(...API), "topologySpreadConstraints");
                unset(s.podSpec(...API), "affinity");
            }),
        ],
    },
    {
        id: "2.3.3",
        section: "Reliability",
        title: "PDBs: API minAvailable 2, consumer minAvailable 1 (and every multi-replica workload)",
        enforce: "infra + policy",
        met: {
            components: ["voting:workloads:Workload"],
            policies: [
                "require-pod-disruption-budget",
                "disallow-blocking-pod-disruption-budget",
                "require-pod-disruption-budget-policy",
                "enforce-disruption-budget-minimum",
                "disallow-overlapping-disruption-budgets",
            ],
        },
        mutants: [
            mutant("the API's PodDisruptionBudget is removed", (s) => s.remove("PodDisruptionBudget", "voting-api/api")),
            mutant("a second PodDisruptionBudget selects every pod of voting-api, so no API pod can be evicted", (s) =>
                s.add({
                    apiVersion: "policy/v1",
                    kind: "PodDisruptionBudget",
                    metadata: { name: "voting-api-all", namespace: "voting-api" },
                    spec: { maxUnavailable: 1, selector: {} },
                }),
            ),
            mutant("the API's PodDisruptionBudget allows no eviction", (s) =>
                set(s.object("PodDisruptionBudget", "voting-api/api"), "spec.minAvailable", 3),
            ),
            mutant("the API's PodDisruptionBudget keeps only 1 pod where the checklist asks 2", (s) =>
                set(s.object("PodDisruptionBudget", "voting-api/api"), "spec.minAvailable", 1),
            ),
            mutant("the consumer's PodDisruptionBudget lets both its pods go (maxUnavailable 2)", (s) => {
                const budget = s.object("PodDisruptionBudget", "voting-consumer/consumer");
                unset(budget, "spec.minAvailable");
                set(budget, "spec.maxUnavailable", 2);
            }),
        ],
    },
    {
        id: "2.4.1",
        section: "Reliability",
        title: "Persistent volumes: volumeClaimTemplates with a storageClassName",
        enforce: "infra + policy",
        met: { components: ["voting:data:DataStore"], policies: ["require-persistent-storage"] },
        mutants: [
            mutant("PostgreSQL's claim names no StorageClass", (s) =>
                unset(s.object(...POSTGRES).spec.volumeClaimTemplates[0], "spec.storageClassName"),
            ),
            mutant("Redis keeps its data without volumeClaimTemplates", (s) => {
                unset(s.object(...REDIS), "spec.volumeClaimTemplates");
                s.podSpec(...REDIS).volumes.push({ name: "data", emptyDir: {} });
            }),
        ],
    },
    {
        id: "2.4.2",
        section: "Reliability",
        title: "Storage class with dynamic provisioning, reclaimPolicy Retain; PVCs retained when the StatefulSet is deleted or scaled",
        enforce: "infra + policy",
        met: { components: ["voting:data:DataStore"], policies: ["require-retained-storage"] },
        mutants: [
            mutant("the data StorageClass deletes volumes with their claims", (s) =>
                set(s.object("StorageClass", "voting-retain"), "reclaimPolicy", "Delete"),
            ),
            mutant("PostgreSQL's claims are deleted with its StatefulSet", (s) =>
                set(s.object(...POSTGRES), "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Delete"),
            ),
        ],
    },
    {
        id: "2.4.3",
        section: "Reliability",
        title: "Backup strategy defined (see 4.2)",
        enforce: "infra + policy",
        met: { components: ["voting:jobs:PostgresBackup", "voting:cloud:BackupStorage"], policies: ["require-database-backup"] },
        mutants: [mutant("the backup CronJob is removed", (s) => s.remove("CronJob", "voting-data/postgres-backup"))],
        rehearsals: {
            prod: PROD.backup,
            staging: [
                ...STAGING.backup,
                "PostgreSQL backup and restore (4.2.1, 4.2.2, 4.2.4) their shell, against a real PostgreSQL and rclone dumps, uploads, and restores what was dumped after the data is lost",
            ],
        },
    },
    {
        id: "3.1.1",
        section: "Observability",
        title: "Structured JSON logs (timestamp, level, message, service, trace_id) configured",
        enforce: "infra",
        met: { components: ["voting:workloads:Workload", "voting:observability:Telemetry"] },
    },
    {
        id: "3.1.2",
        section: "Observability",
        title: "Log aggregation (Loki/ELK/cloud) with 30-day retention",
        enforce: "infra",
        met: { components: ["voting:observability:Telemetry", "voting:cloud:LogStorage"] },
    },
    {
        id: "3.1.3",
        section: "Observability",
        title: "Log level INFO/WARN in prod, never DEBUG; no secrets in logs/env",
        enforce: "infra + policy",
        met: { components: ["voting:workloads:Workload"], policies: ["disallow-debug-logging", "disallow-secrets-in-env"] },
        mutants: [mutant("the API logs at DEBUG", (s) => set(s.env(s.container(...API, "api"), "LOG_LEVEL"), "value", "DEBUG"))],
    },
    {
        id: "3.2.1",
        section: "Observability",
        title: "Metrics collection: kube-prometheus-stack scrape (15s interval, 15d retention)",
        enforce: "infra",
        met: { components: ["voting:monitoring:Monitoring"], verify: ["voting:verify:PostDeployChecks"] },
    },
    {
        id: "3.2.2",
        section: "Observability",
        title: "App metrics scraped: API /metrics, consumer metrics (ServiceMonitor/PodMonitor)",
        enforce: "infra + policy",
        met: { components: ["voting:monitoring:Monitoring"], policies: ["require-metrics-scraping"] },
        mutants: [mutant("the API's ServiceMonitor is removed", (s) => s.remove("ServiceMonitor", "voting-api/api"))],
    },
    {
        id: "3.2.3",
        section: "Observability",
        title: "Kubernetes metrics monitored (CPU, memory, PV usage, network)",
        enforce: "infra",
        met: { components: ["voting:monitoring:Monitoring", "voting:monitoring:Dashboards"] },
    },
    {
        id: "3.2.4",
        section: "Observability",
        title: "Dashboards: API latency P50/P95/P99, vote rate, consumer lag, DB pool, 5xx rate",
        enforce: "infra",
        met: { components: ["voting:monitoring:Dashboards"] },
    },
    {
        id: "3.3.1",
        section: "Observability",
        title: "Distributed tracing (OpenTelemetry, 10% sampling)",
        enforce: "infra",
        met: { components: ["voting:observability:Telemetry"] },
    },
    {
        id: "3.4.1",
        section: "Observability",
        title: "Critical alerts: crash loop (3 restarts/5m), 5xx > 1%, stream lag > 1000, PostgreSQL down > 1m, CPU > 80%, memory > 85%",
        enforce: "infra + policy",
        met: { components: ["voting:monitoring:Monitoring"], policies: ["require-critical-alerts"] },
        mutants: [
            mutant("the stream-lag alert is dropped", (s) => {
                const group = s.object("PrometheusRule", "voting-api/voting-alerts").spec.groups[0];
                const kept = group.rules.filter((r: { alert?: string }) => r.alert !== "VotingStreamLagHigh");
                if (kept.length === group.rules.length) throw new MutantError("no alert VotingStreamLagHigh to drop");
                group.rules = kept;
            }),
        ],
    },
    {
        id: "3.4.2",
        section: "Observability",
        title: "Alert routing: on-call receivers, severities P0/P1/P2, escalation",
        enforce: "infra",
        met: { components: ["voting:monitoring:AlertRouting", "voting:monitoring:Monitoring"] },
    },
    {
        id: "4.1.1",
        section: "Operational readiness",
        title: "RollingUpdate maxUnavailable 1, maxSurge 1",
        enforce: "infra + policy",
        met: { components: ["voting:workloads:Workload"], policies: ["require-rolling-update"] },
        mutants: [
            mutant("the API's rollout takes down two pods at once", (s) => set(s.object(...API), "spec.strategy.rollingUpdate.maxUnavailable", 2)),
        ],
    },
    {
        id: "4.1.2",
        section: "Operational readiness",
        title: "Rollback procedure (Pulumi: stack history / previous config; kubectl rollout undo)",
        enforce: "doc",
        met: { docs: ["docs/runbooks/rollback-and-upgrade.md"] },
    },
    {
        id: "4.1.3",
        section: "Operational readiness",
        title: "Versioned release management per environment (Pulumi stacks replace Helm releases)",
        enforce: "infra + doc",
        met: {
            components: ["voting:workloads:Workload", "voting:jobs:SchemaMigration"],
            policies: ["require-version-label"],
            docs: ["docs/runbooks/rollback-and-upgrade.md"],
        },
        mutants: [
            mutant("the API's pods lose their version label", (s) =>
                drop(s.object(...API).spec.template.metadata.labels, "app.kubernetes.io/version"),
            ),
        ],
    },
    {
        id: "4.2.1",
        section: "Operational readiness",
        title: "PostgreSQL backups automated: pg_dump CronJob daily 02:00, 7-day retention (cloud-managed and Velero as options)",
        enforce: "infra + policy",
        met: {
            components: ["voting:jobs:PostgresBackup"],
            policies: ["limit-backup-interval", "require-bucket-retention", "require-database-backup"],
        },
        rehearsals: {
            prod: PROD.backup,
            staging: [
                ...STAGING.backup,
                "PostgreSQL backup and restore (4.2.1, 4.2.2, 4.2.4) their shell, against a real PostgreSQL and rclone dumps, uploads, and restores what was dumped after the data is lost",
            ],
        },
        mutants: [
            mutant("the backup bucket deletes dumps after 3 days", (s) =>
                set(s.cloudResource(S3_LIFECYCLE, "voting-backups-lifecycle").props.rules[0], "expiration.days", 3),
            ),
            mutant("prod's backup runs once a day", (s) => set(s.object("CronJob", "voting-data/postgres-backup"), "spec.schedule", "0 2 * * *")),
            mutant("prod's backup CronJob is suspended", (s) => set(s.object("CronJob", "voting-data/postgres-backup"), "spec.suspend", true)),
            mutant("the backups are kept 3 days where the checklist asks 7", (s) => {
                const annotations = s.object("CronJob", "voting-data/postgres-backup").metadata?.annotations;
                if (!annotations?.[BACKUP_RETENTION_ANNOTATION]) throw new MutantError("the backup CronJob declares no retention");
                annotations[BACKUP_RETENTION_ANNOTATION] = "3";
            }),
        ],
    },
    {
        id: "4.2.2",
        section: "Operational readiness",
        title: "Backup storage off-cluster: S3/GCS/Azure Blob, encrypted at rest, cross-region replication",
        enforce: "infra + policy",
        met: {
            components: ["voting:cloud:BackupStorage", "voting:jobs:PostgresBackup"],
            policies: ["require-bucket-encryption", "require-bucket-versioning", "disallow-public-buckets", "require-bucket-replication"],
        },
        // "Verify: test restore procedure quarterly": the restore-test CronJob run against the rendered stacks.
        rehearsals: {
            prod: PROD.restoreTest,
            staging: [
                ...STAGING.restoreTest,
                "PostgreSQL backup and restore (4.2.1, 4.2.2, 4.2.4) the quarterly restore test, against a real PostgreSQL and rclone restores the newest dump into a scratch database, checks its tables and rows, and drops it",
            ],
        },
        mutants: [
            mutant("the backup bucket is encrypted with S3's own keys only (AES256)", (s) =>
                set(s.cloudResource(S3_ENCRYPTION, "voting-backups-encryption").props.rules[0], "applyServerSideEncryptionByDefault", {
                    sseAlgorithm: "AES256",
                }),
            ),
            mutant("the backup bucket lets public bucket policies through", (s) =>
                set(s.cloudResource(S3_PUBLIC_ACCESS, "voting-backups-public-access").props, "blockPublicPolicy", false),
            ),
            mutant("replication names no replica KMS key, so S3 skips every encrypted dump", (s) =>
                unset(s.cloudResource(S3_REPLICATION, "voting-backups-replication").props.rules[0], "destination.encryptionConfiguration"),
            ),
            mutant("replication selects no KMS-encrypted object", (s) =>
                unset(s.cloudResource(S3_REPLICATION, "voting-backups-replication").props.rules[0], "sourceSelectionCriteria"),
            ),
            mutant("versioning of the backup bucket is suspended", (s) =>
                set(s.cloudResource(S3_VERSIONING, "voting-backups-versioning").props, "versioningConfiguration.status", "Suspended"),
            ),
        ],
    },
    {
        id: "4.2.3",
        section: "Operational readiness",
        title: "Redis persistence: AOF (and/or RDB snapshots) on a persistent volume",
        enforce: "infra + policy",
        met: { components: ["voting:data:DataStore"], policies: ["require-redis-persistence"] },
        mutants: [
            mutant("Redis keeps no append-only file", (s) => {
                const args: string[] = s.container(...REDIS, "redis").args;
                const at = args.indexOf("--appendonly");
                if (at < 0) throw new MutantError("Redis's args have no --appendonly");
                args[at + 1] = "no";
            }),
            mutant("Redis writes its data to an emptyDir", (s) => {
                const mount = s.container(...REDIS, "redis").volumeMounts.find((m: { mountPath: string }) => m.mountPath === "/data");
                if (!mount) throw new MutantError("Redis mounts nothing at /data");
                mount.name = "tmp";
            }),
        ],
    },
    {
        id: "4.2.4",
        section: "Operational readiness",
        title: "DR plan: RTO < 4h, RPO < 1h, restore runbook and a restore Job",
        enforce: "infra + doc",
        met: {
            components: ["voting:jobs:PostgresBackup"],
            policies: ["limit-backup-interval"],
            docs: ["docs/runbooks/restore-postgres.md", "docs/adr/0004-recovery-point-by-frequent-dumps.md"],
        },
        rehearsals: {
            prod: PROD.backup,
            staging: [
                ...STAGING.backup,
                "PostgreSQL backup and restore (4.2.1, 4.2.2, 4.2.4) their shell, against a real PostgreSQL and rclone dumps, uploads, and restores what was dumped after the data is lost",
                "PostgreSQL backup and restore (4.2.1, 4.2.2, 4.2.4) the quarterly restore test, against a real PostgreSQL and rclone restores the newest dump into a scratch database, checks its tables and rows, and drops it",
            ],
        },
        mutants: [
            mutant("prod dumps hourly, which loses up to 80 minutes", (s) =>
                set(s.object("CronJob", "voting-data/postgres-backup"), "spec.schedule", "0 * * * *"),
            ),
            mutant("prod's backup runs have no time limit", (s) =>
                unset(s.object("CronJob", "voting-data/postgres-backup"), "spec.jobTemplate.spec.activeDeadlineSeconds"),
            ),
        ],
    },
    {
        id: "4.3.1",
        section: "Operational readiness",
        title: "Kubernetes version upgrade path (min version 1.28 asserted; deprecated APIs refused)",
        enforce: "policy + doc",
        met: { policies: ["disallow-deprecated-apis"], docs: ["docs/runbooks/rollback-and-upgrade.md"] },
        mutants: [
            mutant("the API's HPA uses the removed autoscaling/v2beta2", (s) =>
                set(s.object("HorizontalPodAutoscaler", "voting-api/api"), "apiVersion", "autoscaling/v2beta2"),
            ),
        ],
    },
    {
        id: "4.3.2",
        section: "Operational readiness",
        title: "App upgrades: canary/blue-green option, schema migrations run as a Job before rollout",
        enforce: "infra + doc",
        met: {
            components: ["voting:jobs:SchemaMigration"],
            docs: ["docs/runbooks/rollback-and-upgrade.md", "docs/observability-and-releases.md", "docs/runbooks/canary.md"],
        },
        rehearsals: {
            prod: [
                PROD_CHECKS.migration,
                TLS_REFUSALS[5],
                TLS_REFUSALS[7],
                "canary weights (the frontend's nginx splits /api/ requests between the API's tracks) the rendered site in a real nginx, over 2000 requests sends every request to the stable API at weight 0",
                "canary weights (the frontend's nginx splits /api/ requests between the API's tracks) the rendered site in a real nginx, over 2000 requests sends 10% of the requests to the canary at weight 10, within 5 points, and the rest to the stable API",
                "canary weights (the frontend's nginx splits /api/ requests between the API's tracks) the rendered site in a real nginx, over 2000 requests sends 50% of the requests to the canary at weight 50, within 5 points, and the rest to the stable API",
                "canary weights (the frontend's nginx splits /api/ requests between the API's tracks) the rendered site in a real nginx, over 2000 requests sends every request to the canary at weight 100",
                "ApiCanary (a canary of the API beside the stable Deployment) makes the canary a second instance of the API: the stable selector, and so the API's HPA, matches no canary pod",
                "ApiCanary (a canary of the API beside the stable Deployment) scales the canary by an HPA of its own, from the API's minimum of 3 to its maximum of 10 on the API's targets",
                "ApiCanary (a canary of the API beside the stable Deployment) gives the whole prod pack, its matrix synced with the canary, 0 violations over the variant",
                "ApiCanary (a canary of the API beside the stable Deployment) starts and ends a canary without restarting PostgreSQL: max_connections keeps room for it in every stack",
            ],
            staging: [
                STAGING_CHECKS.migration,
                "canary weights (the frontend's nginx splits /api/ requests between the API's tracks) the rendered site in a real nginx, over 2000 requests sends 50% of the requests to the canary in staging's site at weight 50, within 5 points",
                "canary weights (the frontend's nginx splits /api/ requests between the API's tracks) renders staging at weight 50 with the same split and the canary scaled from two to four, and its whole pack gives 0 violations",
                "schema migration Job (4.3.2) its script, against a real PostgreSQL applies every migration on an empty database and records each",
                "schema migration Job (4.3.2) its script, against a real PostgreSQL changes nothing when run again, keeping the counts",
                "schema migration Job (4.3.2) its script, against a real PostgreSQL rolls a failing migration back whole, leaving the recorded version as it was",
            ],
        },
    },
    {
        id: "4.3.3",
        section: "Operational readiness",
        title: "Dependency upgrades tracked (images pinned by tag/digest; automated update config)",
        enforce: "infra + doc",
        met: {
            components: ["voting:workloads:Workload"],
            policies: ["require-pinned-image-tag"],
            docs: ["renovate.json", "docs/observability-and-releases.md"],
        },
        mutants: [
            mutant("the consumer follows its repository's latest tag", (s) => {
                const c = s.container(...CONSUMER, "consumer");
                c.image = `${String(c.image)
                    .split("@")[0]
                    .replace(/:[^:/]+$/, "")}:latest`;
            }),
        ],
    },
    {
        id: "4.4.1",
        section: "Operational readiness",
        title: "RBAC configured (see 6.5)",
        enforce: "infra + policy",
        met: {
            components: ["voting:rbac:AccessRoles"],
            policies: ["enforce-read-only-access", "require-namespace-admin-access", "disallow-wildcard-grants"],
        },
        mutants: [
            mutant("developers may read Secrets in voting-data", (s) =>
                s.object("Role", "voting-data/voting-developer").rules.push({ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }),
            ),
            mutant("the SRE group loses its access to voting-data", (s) => s.remove("RoleBinding", "voting-data/voting-sre")),
        ],
    },
    {
        id: "4.4.2",
        section: "Operational readiness",
        title: "kubectl access: developers read-only (no exec/delete), SRE full in voting namespaces (no cluster-admin), CI/CD deploy-only",
        enforce: "infra + policy",
        met: {
            components: ["voting:rbac:AccessRoles"],
            policies: ["restrict-role-bindings", "enforce-read-only-access", "restrict-cluster-endpoint"],
            docs: ["docs/access.md"],
        },
        problems: [
            "prod creates its EKS cluster in the same pulumi up and reaches it with the creator's kubeconfig, which EKS makes cluster-admin (bootstrapClusterCreatorAdminPermissions): prod's pipeline holds more than the voting-deployer role until the cluster is a stack of its own and an EKS access entry maps the pipeline's role to voting-deployer (docs/access.md)",
        ],
        mutants: [
            mutant("the EKS API endpoint is open to 0.0.0.0/0", (s) =>
                set(s.cloudResource("aws:eks/cluster:Cluster", "voting-cluster").props, "vpcConfig.publicAccessCidrs", ["0.0.0.0/0"]),
            ),
            mutant("the developers are bound to the built-in admin role", (s) =>
                set(s.object("RoleBinding", "voting-api/voting-developers"), "roleRef", {
                    apiGroup: "rbac.authorization.k8s.io",
                    kind: "ClusterRole",
                    name: "admin",
                }),
            ),
            mutant("the CI/CD deploy role reads every Secret in voting-data", (s) =>
                s
                    .object("Role", "voting-data/voting-deployer")
                    .rules.push({ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] }),
            ),
            mutant("the CI/CD deploy role may get any Secret by name", (s) =>
                s.object("Role", "voting-api/voting-deployer").rules.push({ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }),
            ),
            mutant("the CI/CD deploy role in cert-manager's namespace lists its Secrets, the data CA's key among them", (s) =>
                s.object("Role", "cert-manager/voting-deployer").rules.push({ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }),
            ),
        ],
    },
    {
        id: "4.4.3",
        section: "Operational readiness",
        title: "Audit logging enabled (cluster audit policy / cloud audit logs, 90 days)",
        enforce: "infra + doc",
        met: { components: ["voting:cloud:AwsCluster"], policies: ["require-cluster-audit-logs"], docs: ["docs/cloud.md"] },
        mutants: [
            mutant("the EKS audit log is off", (s) =>
                set(s.cloudResource("aws:eks/cluster:Cluster", "voting-cluster").props, "enabledClusterLogTypes", ["api", "authenticator"]),
            ),
            mutant("the control-plane log group keeps 30 days", (s) =>
                set(s.cloudResource(LOG_GROUP, "voting-cluster-control-plane").props, "retentionInDays", 30),
            ),
        ],
    },
    {
        id: "5.1.1",
        section: "Scalability",
        title: "HPA for API: min 3, max 10, CPU 70%, memory 80%",
        enforce: "infra + policy",
        met: {
            components: ["voting:workloads:Workload"],
            policies: [
                "require-sane-autoscaler",
                "disallow-replicas-with-autoscaler",
                "enforce-autoscaler-targets",
                "disallow-overlapping-autoscalers",
            ],
        },
        mutants: [
            mutant("the API's HPA keeps as few as 1 pod", (s) => set(s.object("HorizontalPodAutoscaler", "voting-api/api"), "spec.minReplicas", 1)),
            mutant("the API's HPA stops at 4 pods where the checklist asks 10", (s) =>
                set(s.object("HorizontalPodAutoscaler", "voting-api/api"), "spec.maxReplicas", 4),
            ),
            mutant("the consumer's ScaledObject stops at 3 pods where prod declares 6", (s) =>
                set(s.object("ScaledObject", "voting-consumer/consumer"), "spec.maxReplicaCount", 3),
            ),
            mutant("the API's HPA scales out only at 90% CPU where the checklist asks 70%", (s) =>
                set(s.object("HorizontalPodAutoscaler", "voting-api/api"), "spec.metrics.0.resource.target.averageUtilization", 90),
            ),
            mutant("a second HPA scales the API on memory beside its own, so Kubernetes stops both", (s) => {
                const second = structuredClone(s.object("HorizontalPodAutoscaler", "voting-api/api"));
                second.metadata!.name = "api-memory";
                s.add(second);
            }),
        ],
    },
    {
        id: "5.1.2",
        section: "Scalability",
        title: "Consumer autoscaling on Redis Stream lag (KEDA redis-streams scaler, pending > 100)",
        enforce: "infra + policy",
        met: { components: ["voting:autoscaling:StreamScaler"], policies: ["require-stream-lag-autoscaling", "disallow-overlapping-autoscalers"] },
        mutants: [
            mutant("the consumer scales only past 1000 pending entries", (s) =>
                set(s.object("ScaledObject", "voting-consumer/consumer"), "spec.triggers.0.metadata.pendingEntriesCount", "1000"),
            ),
            mutant("the consumer's ScaledObject is removed", (s) => s.remove("ScaledObject", "voting-consumer/consumer")),
        ],
    },
    {
        id: "5.1.3",
        section: "Scalability",
        title: "Cluster autoscaler (cloud)",
        enforce: "infra + doc",
        met: { components: ["voting:cloud:AwsCluster"], policies: ["require-cluster-autoscaling"], docs: ["docs/cloud.md"] },
        mutants: [
            mutant("every EKS node group is pinned to its minimum size", (s) => {
                for (const zone of [1, 2, 3]) {
                    const scaling = s.cloudResource("aws:eks/nodeGroup:NodeGroup", `voting-cluster-zone-${zone}`).props.scalingConfig;
                    set(scaling, "maxSize", scaling.minSize);
                }
            }),
        ],
    },
    {
        id: "5.2.1",
        section: "Scalability",
        title: "PostgreSQL connection pooling (pool size 20 in prod, or PgBouncer) and max_connections above the sum of pools",
        enforce: "infra + policy",
        met: { components: ["voting:data:DataStore"], policies: ["enforce-connection-pool-budget"] },
        mutants: [
            mutant("the API's pool grows to 50 connections and max_connections stays", (s) =>
                set(s.env(s.container(...API, "api"), "DB_POOL_SIZE"), "value", "50"),
            ),
            mutant("the API's HPA may reach 25 pods and max_connections stays", (s) =>
                set(s.object("HorizontalPodAutoscaler", "voting-api/api"), "spec.maxReplicas", 25),
            ),
            mutant("the API pools 10 connections in prod where the checklist asks 20", (s) =>
                set(s.env(s.container(...API, "api"), "DB_POOL_SIZE"), "value", "10"),
            ),
        ],
    },
    { id: "5.2.2", section: "Scalability", title: "PostgreSQL read replicas (optional)", enforce: "infra (optional)", met: {} },
    {
        id: "5.2.3",
        section: "Scalability",
        title: "Redis Cluster / managed Redis for high throughput (optional)",
        enforce: "infra (optional)",
        met: {},
    },
    {
        id: "5.3.1",
        section: "Scalability",
        title: "Load test baseline (P50/P95/P99 recorded)",
        enforce: "verify",
        met: { verify: ["voting:loadtest:LoadTests", "voting:verify:PostDeployChecks"] },
        rehearsals: BASELINE_REHEARSED,
    },
    {
        id: "5.3.2",
        section: "Scalability",
        title: "SLOs: P50 < 200ms, P95 < 500ms, P99 < 1000ms, 99.9% availability, 100 req/s sustained, 500 peak (as alert rules)",
        enforce: "infra",
        met: { components: ["voting:monitoring:Monitoring"] },
    },
    {
        id: "5.3.3",
        section: "Scalability",
        title: "Capacity planning: CPU/memory at min and max scale, per environment",
        enforce: "infra",
        met: { components: ["voting:index:VotingPlatform"] },
    },
    {
        id: "5.3.4",
        section: "Scalability",
        title: "Advanced load testing (k6 ramp/spike/soak with SLO thresholds)",
        enforce: "verify",
        met: { verify: ["voting:loadtest:LoadTests"] },
        problems: [
            "no test runs the k6 script (k6 is not installed here): its profiles and thresholds are checked as data and the script is only parsed",
        ],
    },
    {
        id: "6.1.1",
        section: "Compliance",
        title: "No hard-coded secrets: prod never creates Secrets from literals (`secrets.create: false`); secret config values are Pulumi secrets",
        enforce: "infra + policy",
        met: { components: ["voting:secrets:AppSecrets"], policies: ["disallow-secrets-in-env", "disallow-secrets-in-config-maps"] },
        mutants: [
            mutant("a database password is written into a ConfigMap", (s) =>
                set(s.object("ConfigMap", "voting-frontend/frontend-config"), "data.DATABASE_PASSWORD", "s3cr3t-Passw0rd-1234"),
            ),
            mutant("the API's database URL is a plain env value", (s) =>
                inlineSecret(s.env(s.container(...API, "api"), "DATABASE_URL"), LITERAL_URL),
            ),
        ],
    },
    {
        id: "6.1.2",
        section: "Compliance",
        title: "External secret management: External Secrets Operator with AWS Secrets Manager / GCP Secret Manager / Azure Key Vault / Vault",
        enforce: "infra + policy",
        met: { components: ["voting:secrets:AppSecrets"], policies: ["require-external-secrets"] },
        mutants: [
            mutant("the API's connection Secret is written with its values instead of by External Secrets", (s) => {
                s.remove("ExternalSecret", "voting-api/app-connections");
                s.add({
                    apiVersion: "v1",
                    kind: "Secret",
                    metadata: { name: "app-connections", namespace: "voting-api" },
                    stringData: { DATABASE_URL: LITERAL_URL, REDIS_URL: "rediss://default:s3cr3t@redis.voting-data.svc.cluster.local:6379/0" },
                });
            }),
            mutant("the consumer reads a Secret that nothing writes", (s) =>
                set(s.env(s.container(...CONSUMER, "consumer"), "DATABASE_URL"), "valueFrom.secretKeyRef.name", "consumer-db"),
            ),
        ],
    },
    {
        id: "6.1.3",
        section: "Compliance",
        title: "Secret rotation every 90 days",
        enforce: "infra",
        met: {
            components: ["voting:cloud:CloudSecrets", "voting:data:DataStore"],
            policies: ["limit-secret-rotation-period", "require-secret-rotation-handler", "require-secret-reload"],
            docs: ["docs/runbooks/rotate-credentials.md"],
        },
        rehearsals: { prod: ROTATION("prod"), staging: ROTATION("staging") },
        problems: [
            "the API and consumer pods are rolled on a change of app-connections by Stakater Reloader, a cluster prerequisite the program annotates them for (require-secret-reload), so nothing here runs it; and PostgreSQL keeps one password per role: External Secrets may rewrite postgres-auth and app-connections up to its refresh interval apart, and until both have changed and the rollouts finished, one side holds a password the other no longer takes (runbook step 2.3)",
            "the GCP and Azure rotation functions (a Cloud Function on the rotation topic, a Function App on Key Vault's SecretNearExpiry) are proven offline only: their handlers against fake clients, their resources under the mock runtime and require-secret-rotation-handler",
        ],
        mutants: [
            mutant("Secrets Manager may not invoke the rotation Lambda for the PostgreSQL password", (s) =>
                set(
                    s.cloudResource("aws:lambda/permission:Permission", "voting-cloud-secrets-postgres-rotation").props,
                    "principal",
                    "events.amazonaws.com",
                ),
            ),
            mutant("the consumer keeps the connection URLs it started with when External Secrets rewrites them", (s) => {
                delete s.object("Deployment", "voting-consumer/consumer").metadata!.annotations![SECRET_RELOAD_ANNOTATION];
            }),
            mutant("the Redis password rotates every 365 days", (s) =>
                set(
                    s.cloudResource("aws:secretsmanager/secretRotation:SecretRotation", "voting-cloud-secrets-redis").props,
                    "rotationRules.automaticallyAfterDays",
                    365,
                ),
            ),
        ],
    },
    {
        id: "6.1.4",
        section: "Compliance",
        title: "Secrets encrypted at rest (KMS on the cloud stores; etcd encryption)",
        enforce: "infra + doc",
        met: {
            components: ["voting:cloud:AwsCluster", "voting:cloud:CloudSecrets"],
            policies: ["require-cluster-secret-encryption", "require-key-rotation"],
            docs: ["docs/cloud.md"],
        },
        mutants: [
            mutant("the EKS cluster keeps Secrets without envelope encryption", (s) =>
                unset(s.cloudResource("aws:eks/cluster:Cluster", "voting-cluster").props, "encryptionConfig"),
            ),
            mutant("the Secrets key never rotates", (s) =>
                set(s.cloudResource("aws:kms/key:Key", "voting-cluster-secrets").props, "enableKeyRotation", false),
            ),
        ],
    },
    {
        id: "6.2.1",
        section: "Compliance",
        title: "Ingress TLS with HSTS max-age=31536000",
        enforce: "infra + policy",
        met: { components: ["voting:ingress:PublicIngress"], policies: ["require-ingress-hsts"] },
        mutants: [
            mutant("HSTS lasts one day", (s) =>
                set(s.object("ConfigMap", "voting-frontend/security-headers"), "data.Strict-Transport-Security", "max-age=86400; includeSubDomains"),
            ),
        ],
    },
    { id: "6.2.2", section: "Compliance", title: "Internal mTLS via a service mesh (optional)", enforce: "infra (optional)", met: {} },
    {
        id: "6.2.3",
        section: "Compliance",
        title: "Database connections use TLS (same as 1.4.3)",
        enforce: "infra + policy",
        met: {
            components: ["voting:data:DataTls", "voting:secrets:AppSecrets"],
            policies: ["require-verified-data-tls", "require-data-server-tls"],
            docs: ["docs/adr/0003-data-layer-trust.md"],
        },
        mutants: TLS_MUTANTS,
        rehearsals: {
            prod: [...PROD.bootstrap.slice(0, 1), ...PROD.backup, ...PROD.clients, ...PROD.plaintext, ...TLS_REFUSALS, ...CERT_RENEWAL],
            staging: "staging connects to the data layer without TLS by design; 1.4.3 asks for TLS in prod",
        },
    },
    {
        id: "6.3.1",
        section: "Compliance",
        title: "Images only from trusted registries (allow-list), signature verification option",
        enforce: "policy",
        met: { policies: ["restrict-image-registries"] },
        mutants: [mutant("the API image comes from an untrusted registry", (s) => moveImage(s.container(...API, "api"), "docker.io/someone/api"))],
    },
    {
        id: "6.3.2",
        section: "Compliance",
        title: "imagePullSecrets for private registries",
        enforce: "infra + policy",
        met: {
            components: ["voting:workloads:Workload", "voting:secrets:PullSecrets"],
            policies: ["require-image-pull-secrets", "require-pull-secret-source"],
        },
        mutants: [
            mutant("the API pulls from the private registry with no pull secret on the pod or its ServiceAccount", (s) => {
                unset(s.podSpec(...API), "imagePullSecrets");
                unset(s.object("ServiceAccount", "voting-api/api"), "imagePullSecrets");
            }),
            mutant("nothing renders the pull secret the API's pods name", (s) => s.remove("ExternalSecret", "voting-api/ecr-pull")),
            mutant("the pull secret is refreshed only every 12 hours, as its ECR token expires", (s) =>
                set(s.object("ExternalSecret", "voting-api/ecr-pull"), "spec.refreshInterval", "12h"),
            ),
        ],
    },
    {
        id: "6.4.1",
        section: "Compliance",
        title: "Kubernetes audit logs (same as 4.4.3)",
        enforce: "infra + doc",
        met: { components: ["voting:cloud:AwsCluster"], policies: ["require-cluster-audit-logs"], docs: ["docs/cloud.md"] },
        mutants: [
            mutant("the EKS audit log is off", (s) =>
                set(s.cloudResource("aws:eks/cluster:Cluster", "voting-cluster").props, "enabledClusterLogTypes", ["api", "authenticator"]),
            ),
            mutant("the control-plane log group keeps 30 days", (s) =>
                set(s.cloudResource(LOG_GROUP, "voting-cluster-control-plane").props, "retentionInDays", 30),
            ),
        ],
    },
    {
        id: "6.4.2",
        section: "Compliance",
        title: "Application audit logs: vote submissions and processing events, 90-day retention",
        enforce: "infra",
        met: { components: ["voting:observability:Telemetry", "voting:cloud:LogStorage", "voting:jobs:SchemaMigration"] },
    },
    {
        id: "6.5.1",
        section: "Compliance",
        title: "Namespace-scoped roles: developer (read-only: no exec, no delete), SRE, CI/CD",
        enforce: "infra + policy",
        met: {
            components: ["voting:rbac:AccessRoles"],
            policies: ["disallow-pod-exec-grants", "restrict-role-bindings", "enforce-read-only-access", "require-namespace-admin-access"],
        },
        mutants: [
            mutant("the developer role may exec into pods", (s) =>
                s.object("Role", "voting-api/voting-developer").rules.push({ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }),
            ),
            mutant("the developer role may delete pods", (s) =>
                s.object("Role", "voting-api/voting-developer").rules.push({ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }),
            ),
            mutant("the developer role may patch Deployments", (s) =>
                s.object("Role", "voting-api/voting-developer").rules.push({ apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] }),
            ),
            mutant("developers are bound to the built-in edit role", (s) =>
                set(s.object("RoleBinding", "voting-consumer/voting-developers"), "roleRef", {
                    apiGroup: "rbac.authorization.k8s.io",
                    kind: "ClusterRole",
                    name: "edit",
                }),
            ),
        ],
    },
    {
        id: "6.5.2",
        section: "Compliance",
        title: "No cluster-admin, no wildcard verbs/resources for app access",
        enforce: "policy",
        met: { policies: ["disallow-cluster-admin-bindings", "disallow-wildcard-grants"] },
        mutants: [
            mutant("the SRE group is bound to cluster-admin", (s) =>
                set(s.object("RoleBinding", "voting-api/voting-sre"), "roleRef.name", "cluster-admin"),
            ),
            mutant("the developer role grants every verb", (s) => set(s.object("Role", "voting-api/voting-developer"), "rules.0.verbs", ["*"])),
            mutant("the deploy role in voting-data applies every resource of the apps group", (s) =>
                set(s.object("Role", "voting-data/voting-deployer"), "rules.1.resources", ["*"]),
            ),
            mutant("the deployer role grants every resource of the core group", (s) =>
                set(s.object("Role", "voting-frontend/voting-deployer"), "rules.0.resources", ["*"]),
            ),
        ],
    },
    {
        id: "6.5.3",
        section: "Compliance",
        title: "One ServiceAccount per workload, automountServiceAccountToken false unless needed",
        enforce: "infra + policy",
        met: {
            components: ["voting:workloads:Workload", "voting:data:DataStore", "voting:jobs:StreamBootstrap", "voting:jobs:PostgresBackup"],
            policies: ["disable-service-account-token-automount", "require-dedicated-service-account"],
        },
        mutants: [
            mutant("the API mounts its ServiceAccount token", (s) => set(s.podSpec(...API), "automountServiceAccountToken", true)),
            mutant("the API runs as its namespace's default ServiceAccount", (s) => unset(s.podSpec(...API), "serviceAccountName")),
            mutant("PostgreSQL runs as the default ServiceAccount, named outright", (s) =>
                set(s.podSpec(...POSTGRES), "serviceAccountName", "default"),
            ),
            mutant("Redis shares PostgreSQL's ServiceAccount", (s) => set(s.podSpec(...REDIS), "serviceAccountName", "postgres")),
        ],
    },
    {
        id: "7.1.1",
        section: "Pre-deployment validation",
        title: "Cluster version ≥ 1.28",
        enforce: "policy",
        met: { components: ["voting:namespaces:Namespaces"], policies: ["require-minimum-kubernetes-version", "require-supported-cluster-version"] },
        mutants: [
            mutant("the EKS cluster runs Kubernetes 1.27", (s) =>
                set(s.cloudResource("aws:eks/cluster:Cluster", "voting-cluster").props, "version", "1.27"),
            ),
            mutant("voting-api declares Kubernetes 1.27", (s) => {
                s.object("Namespace", "voting-api").metadata!.annotations![K8S_VERSION_ANNOTATION] = "1.27";
            }),
        ],
    },
    {
        id: "7.1.2",
        section: "Pre-deployment validation",
        title: "Namespace design: voting-frontend, voting-api, voting-consumer, voting-data",
        enforce: "infra + policy",
        met: { components: ["voting:namespaces:Namespaces"], policies: ["require-namespace-layout"] },
        mutants: [
            mutant("voting-data enforces only the baseline Pod Security level", (s) => {
                s.object("Namespace", "voting-data").metadata!.labels!["pod-security.kubernetes.io/enforce"] = "baseline";
            }),
        ],
    },
    {
        id: "7.1.3",
        section: "Pre-deployment validation",
        title: "Program structure validated (Pulumi project, stacks, components — the Helm chart's role)",
        enforce: "infra",
        met: { components: ["voting:index:VotingPlatform"] },
    },
    {
        id: "7.1.4",
        section: "Pre-deployment validation",
        title: "Architecture decision records",
        enforce: "doc",
        met: { docs: ["docs/adr/0001-pulumi-and-crossguard.md", "docs/adr/0002-traffic-matrix-as-code.md"] },
    },
    {
        id: "7.2.1",
        section: "Pre-deployment validation",
        title: "API endpoints functional (/health, /ready, /api/vote, /api/results)",
        enforce: "verify",
        met: { verify: ["voting:verify:PostDeployChecks"] },
        rehearsals: {
            prod: [PUBLIC_TLS.rendered, PUBLIC_TLS.smoke, PUBLIC_TLS.e2e, PUBLIC_TLS.otherHost, PUBLIC_TLS.untrusted],
            staging: [
                STAND_IN("smoke passes on a healthy app, counting its marked vote"),
                STAND_IN("smoke fails on every endpoint when the app answers 500, and sends no vote"),
                STAND_IN("smoke fails when the API is not ready, and sends no vote"),
            ],
        },
    },
    {
        id: "7.2.2",
        section: "Pre-deployment validation",
        title: "Frontend serves the UI",
        enforce: "verify",
        met: { verify: ["voting:verify:PostDeployChecks"] },
        rehearsals: {
            prod: [PUBLIC_TLS.rendered, PUBLIC_TLS.smoke, PUBLIC_TLS.otherHost, PUBLIC_TLS.untrusted],
            staging: [
                STAND_IN("smoke passes on a healthy app, counting its marked vote"),
                STAND_IN("smoke fails when nothing answers at the public address"),
            ],
        },
    },
    {
        id: "7.2.3",
        section: "Pre-deployment validation",
        title: "Consumer processes stream messages",
        enforce: "verify",
        met: { verify: ["voting:verify:PostDeployChecks"] },
        rehearsals: { prod: [PROD_CHECKS.smoke, PROD_CHECKS.e2e], staging: [STAGING_CHECKS.smoke, STAGING_CHECKS.e2e] },
    },
    {
        id: "7.2.4",
        section: "Pre-deployment validation",
        title: "Unit tests pass",
        enforce: "infra (the project's own tests)",
        met: { suite: true, docs: ["README.md", "docs/testing.md"] },
    },
    {
        id: "7.3.1",
        section: "Pre-deployment validation",
        title: "Redis stream `votes` exists",
        enforce: "infra (init Job)",
        met: { components: ["voting:jobs:StreamBootstrap"] },
        rehearsals: {
            prod: PROD.bootstrap,
            staging: [
                ...STAGING.bootstrap,
                "stream bootstrap Job (7.3.1, 7.3.2) its shell, against a real Redis creates stream votes with group vote-processors",
                "stream bootstrap Job (7.3.1, 7.3.2) its shell, against a real Redis succeeds again on a second run, leaving the group as it was",
            ],
        },
    },
    {
        id: "7.3.2",
        section: "Pre-deployment validation",
        title: "Consumer group `vote-processors` exists",
        enforce: "infra (init Job)",
        met: { components: ["voting:jobs:StreamBootstrap"] },
        rehearsals: {
            prod: PROD.bootstrap,
            staging: [
                ...STAGING.bootstrap,
                "stream bootstrap Job (7.3.1, 7.3.2) its shell, against a real Redis creates stream votes with group vote-processors",
                "stream bootstrap Job (7.3.1, 7.3.2) its shell, against a real Redis succeeds again on a second run, leaving the group as it was",
            ],
        },
    },
    {
        id: "7.3.3",
        section: "Pre-deployment validation",
        title: "End-to-end vote flow (POST /vote → Redis → consumer → PostgreSQL → GET /results)",
        enforce: "verify",
        met: { verify: ["voting:verify:PostDeployChecks"] },
        rehearsals: {
            prod: [PROD_CHECKS.e2e, TLS_REFUSALS[6], PUBLIC_TLS.e2e, PUBLIC_TLS.otherHost, PUBLIC_TLS.untrusted],
            staging: [
                STAGING_CHECKS.e2e,
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) end-to-end vote flow follows a vote from the public path to the stream, the consumer and PostgreSQL, then removes every test vote",
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) end-to-end vote flow fails at the stream when the API accepts the vote and drops it",
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) end-to-end vote flow fails when the consumer acknowledges a vote it never stored",
                STAND_IN("end-to-end vote flow fails at GET /api/results when the vote is stored and counted but the results do not move"),
            ],
        },
    },
    {
        id: "7.3.4",
        section: "Pre-deployment validation",
        title: "Zero consumer lag (alert + check)",
        enforce: "infra + verify",
        met: { components: ["voting:monitoring:Monitoring"], verify: ["voting:verify:PostDeployChecks"] },
        rehearsals: {
            prod: [PROD_CHECKS.e2e],
            staging: [
                STAGING_CHECKS.e2e,
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) end-to-end vote flow follows a vote from the public path to the stream, the consumer and PostgreSQL, then removes every test vote",
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) end-to-end vote flow fails with the pending count when the consumer reads and never acknowledges",
            ],
        },
    },
    {
        id: "7.4.1",
        section: "Pre-deployment validation",
        title: "Non-root validation (as 1.1.1)",
        enforce: "policy",
        met: { policies: ["require-non-root"] },
        mutants: [mutant("the consumer runs as UID 0", (s) => set(s.container(...CONSUMER, "consumer"), "securityContext.runAsUser", 0))],
    },
    {
        id: "7.4.2",
        section: "Pre-deployment validation",
        title: "Image scan gate (as 1.1.4)",
        enforce: "policy",
        met: { policies: ["require-image-digest"] },
        mutants: [mutant("the consumer image is pinned by tag only", (s) => untagDigest(s.container(...CONSUMER, "consumer")))],
    },
    {
        id: "7.4.3",
        section: "Pre-deployment validation",
        title: "API input validation audit (as 1.3.1)",
        enforce: "doc",
        met: { verify: ["voting:verify:PostDeployChecks"], docs: ["docs/input-validation.md"] },
        rehearsals: {
            prod: [PUBLIC_TLS.smoke],
            staging: [INPUT_RENDERED, INPUT_REFUSALS.passes, INPUT_REFUSALS.serverError, INPUT_REFUSALS.bodyLimit, INPUT_REFUSALS.oneByteOver],
        },
    },
    {
        id: "7.4.4",
        section: "Pre-deployment validation",
        title: "SQL injection audit (as 1.3.2)",
        enforce: "doc",
        ...SQL_INJECTION_EVIDENCE,
    },
    {
        id: "7.4.5",
        section: "Pre-deployment validation",
        title: "Network policies deployed and tested (as 1.2.5)",
        enforce: "policy + verify",
        met: { policies: ["enforce-traffic-matrix"], verify: ["voting:verify:ConnectivityVerification"] },
        mutants: [mutant("the consumer may reach the API", (s) => allowFlow(s, CONSUMER, API, 8000))],
        rehearsals: {
            prod: [
                ...PROD.verify,
                "post-deploy connectivity verification (8.2) its script, run for real passes when every result matches the matrix",
                "post-deploy connectivity verification (8.2) its script, run for real fails, naming each difference, when a denied port answers or an allowed one does not",
            ],
            staging: [
                ...STAGING.verify,
                "post-deploy connectivity verification (8.2) its script, run for real passes when every result matches the matrix",
                "post-deploy connectivity verification (8.2) its script, run for real fails, naming each difference, when a denied port answers or an allowed one does not",
            ],
        },
    },
    {
        id: "7.5.1",
        section: "Pre-deployment validation",
        title: "Deployment healthy: all pods Running (Pulumi awaits readiness)",
        enforce: "infra",
        met: { components: ["voting:workloads:Workload"], policies: ["require-awaited-rollout"] },
        mutants: [
            mutant("the API's rollout is not awaited", (s) => {
                const metadata = s.object(...API).metadata!;
                metadata.annotations = { ...metadata.annotations, "pulumi.com/skipAwait": "true" };
            }),
        ],
    },
    {
        id: "7.5.2",
        section: "Pre-deployment validation",
        title: "Load test baseline (as 5.3.1)",
        enforce: "verify",
        met: { verify: ["voting:loadtest:LoadTests", "voting:verify:PostDeployChecks"] },
        rehearsals: BASELINE_REHEARSED,
    },
    {
        id: "7.5.3",
        section: "Pre-deployment validation",
        title: "metrics-server enabled",
        enforce: "infra + doc",
        met: { components: ["voting:cloud:AwsCluster"], policies: ["require-metrics-server"], docs: ["docs/cloud.md"] },
        mutants: [
            mutant("the EKS cluster has no metrics-server add-on", (s) =>
                set(s.cloudResource("aws:eks/addon:Addon", "voting-cluster-metrics-server").props, "addonName", "none"),
            ),
        ],
    },
    { id: "7.5.4", section: "Pre-deployment validation", title: "The 27 integration checkpoints", enforce: "verify", met: {} },
    {
        id: "8.1",
        section: "Post-deployment verification",
        title: "Smoke tests < 5 min: pods, /api/health, POST vote, GET results, consumer log",
        enforce: "verify",
        met: { verify: ["voting:verify:PostDeployChecks"] },
        rehearsals: {
            prod: [PROD_CHECKS.smoke, TLS_REFUSALS[7], PUBLIC_TLS.smoke, PUBLIC_TLS.otherHost, PUBLIC_TLS.untrusted],
            staging: [
                STAGING_CHECKS.smoke,
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) smoke passes on a healthy app, counting its marked vote",
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) smoke finds the consumer's processed event for the smoke vote",
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) smoke fails when the app drops votes, saying the count did not move",
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) smoke fails on every endpoint when the app answers 500, and sends no vote",
            ],
        },
    },
    {
        id: "8.2",
        section: "Post-deployment verification",
        title: "Network policy verification: the 9 connectivity tests",
        enforce: "verify",
        met: { verify: ["voting:verify:ConnectivityVerification"] },
        rehearsals: {
            prod: [
                ...PROD.verify,
                "post-deploy connectivity verification (8.2) its script, run for real passes when every result matches the matrix",
                "post-deploy connectivity verification (8.2) its script, run for real fails, naming each difference, when a denied port answers or an allowed one does not",
            ],
            staging: [
                ...STAGING.verify,
                "post-deploy connectivity verification (8.2) its script, run for real passes when every result matches the matrix",
                "post-deploy connectivity verification (8.2) its script, run for real fails, naming each difference, when a denied port answers or an allowed one does not",
            ],
        },
    },
    {
        id: "8.3",
        section: "Post-deployment verification",
        title: "Performance validation: 100 requests at 10 concurrent, 0 failed, P95 < 500ms, > 15 req/s",
        enforce: "verify",
        met: { verify: ["voting:verify:PostDeployChecks"] },
        rehearsals: {
            prod: "the performance check loads the frontend Service over in-cluster HTTP in every stack; prod's data-layer TLS is not on its path",
            staging: [
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) performance passes 100 requests at 10 concurrent with none failed, printing P50, P95, P99 and the rate",
                "post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4) performance fails when P95 is over 500 ms",
            ],
        },
    },
    {
        id: "8.4",
        section: "Post-deployment verification",
        title: "Monitoring validation: targets up, dashboards present, alert fires",
        enforce: "verify",
        met: { verify: ["voting:verify:PostDeployChecks"] },
        rehearsals: {
            prod: ALERTS_FIRE("prod"),
            staging: [
                "post-deploy checks (8.1, 8.3, 8.4, 7.3.3) the monitoring check, against stand-ins of Prometheus's and Grafana's APIs passes when targets are up, rules loaded, Watchdog fires, retention and interval hold and the dashboards exist",
                "post-deploy checks (8.1, 8.3, 8.4, 7.3.3) the monitoring check, against stand-ins of Prometheus's and Grafana's APIs fails, naming each problem, when a target is down, a group missing, retention short and a dashboard absent",
                "post-deploy checks (8.1, 8.3, 8.4, 7.3.3) the monitoring check's alert delivery, against a real Prometheus and a stand-in of Alertmanager's API passes when Alertmanager takes the alerts Prometheus sends",
                "post-deploy checks (8.1, 8.3, 8.4, 7.3.3) the monitoring check's alert delivery, against a real Prometheus and a stand-in of Alertmanager's API fails when Alertmanager refuses them, and when Prometheus knows no Alertmanager",
                ...ALERTS_FIRE("staging"),
            ],
        },
        problems: [
            "the rendered alerts are shown to fire on a failure (an API pod deleted and not replaced, a crash loop, PostgreSQL down, 5xx, stream lag) only in Prometheus's rule tester over synthetic series; in the cluster the post-deploy check sees the always-firing Watchdog fire and Prometheus deliver it to Alertmanager, but causes no failure of its own",
        ],
    },
    {
        id: "9.1",
        section: "Future improvements",
        title: "kube-prometheus-stack (Prometheus, Grafana, Thanos option)",
        enforce: "infra (optional)",
        met: {},
    },
    {
        id: "9.2",
        section: "Future improvements",
        title: "Tracing backend (OpenTelemetry collector + Jaeger)",
        enforce: "infra (optional)",
        met: { components: ["voting:observability:Telemetry"] },
    },
    {
        id: "9.3",
        section: "Future improvements",
        title: "k6 load testing",
        enforce: "verify",
        met: { verify: ["voting:loadtest:LoadTests"] },
        problems: [
            "no test runs the k6 script (k6 is not installed here): its profiles and thresholds are checked as data and the script is only parsed",
        ],
    },
    {
        id: "9.4",
        section: "Future improvements",
        title: "Cilium L7 policies (HTTP method filtering)",
        enforce: "infra (optional)",
        met: { components: ["voting:network:TrafficPolicies"] },
        option: "features.ciliumL7Policies",
    },
    {
        id: "9.5",
        section: "Future improvements",
        title: "Admission policy in the cluster (Kyverno or Gatekeeper) mirroring the pack",
        enforce: "infra (optional)",
        met: {},
    },
    {
        id: "9.6",
        section: "Future improvements",
        title: "Managed data services (RDS/Cloud SQL/Azure Database, ElastiCache/Memorystore/Azure Cache)",
        enforce: "infra (optional)",
        met: {},
    },
    {
        id: "9.7",
        section: "Future improvements",
        title: "Service mesh (Istio/Linkerd): mTLS, canary traffic splitting, retries",
        enforce: "infra (optional)",
        met: {},
    },
    {
        id: "P.1",
        section: "Peer checks",
        title: "A Service selects at least one pod, and its targetPorts exist on those pods",
        enforce: "policy",
        met: { policies: ["require-service-selects-pods"] },
        mutants: [
            mutant("the API Service targets a port no pod declares", (s) =>
                set(s.object("Service", "voting-api/api"), "spec.ports.0.targetPort", "metrics"),
            ),
        ],
    },
    {
        id: "P.2",
        section: "Peer checks",
        title: "An Ingress backend names a Service that exists in the Ingress's namespace, on a port it exposes",
        enforce: "policy (mandatory)",
        met: { policies: ["require-ingress-backends"] },
        mutants: [
            mutant("the Ingress backend names a Service that does not exist", (s) =>
                set(s.object("Ingress", "voting-frontend/voting"), "spec.rules.0.http.paths.0.backend.service.name", "web"),
            ),
        ],
    },
    {
        id: "P.3",
        section: "Peer checks",
        title: "Jobs and CronJobs: activeDeadlineSeconds or startingDeadlineSeconds, restartPolicy OnFailure/Never, ttlSecondsAfterFinished, concurrencyPolicy set",
        enforce: "policy",
        met: { policies: ["require-job-limits"] },
        mutants: [
            mutant("the stream bootstrap Job may run forever", (s) =>
                unset(s.object("Job", "voting-consumer/stream-bootstrap"), "spec.activeDeadlineSeconds"),
            ),
            mutant("the backup CronJob's Jobs keep their finished pods forever", (s) =>
                unset(s.object("CronJob", "voting-data/postgres-backup"), "spec.jobTemplate.spec.ttlSecondsAfterFinished"),
            ),
        ],
    },
    {
        id: "P.4",
        section: "Peer checks",
        title: "No duplicate environment variable names in a container",
        enforce: "policy",
        met: { policies: ["disallow-duplicate-env"] },
        mutants: [mutant("the API sets LOG_LEVEL twice", (s) => s.container(...API, "api").env.push({ name: "LOG_LEVEL", value: "WARN" }))],
    },
    {
        id: "P.5",
        section: "Peer checks",
        title: "Workload selector matches its pod template labels",
        enforce: "policy (mandatory)",
        met: { policies: ["require-selector-matches-template"] },
        mutants: [
            mutant("the API's selector no longer matches its pods", (s) => {
                s.object(...API).spec.selector.matchLabels["app.kubernetes.io/name"] = "api-v2";
            }),
        ],
    },
    {
        id: "P.6",
        section: "Peer checks",
        title: "A StatefulSet's serviceName names a headless Service that exists",
        enforce: "policy",
        met: { policies: ["require-headless-service-for-statefulset"] },
        mutants: [
            mutant("PostgreSQL's serviceName names a Service that does not exist", (s) =>
                set(s.object(...POSTGRES), "spec.serviceName", "postgres-headless"),
            ),
        ],
    },
    {
        id: "P.7",
        section: "Peer checks",
        title: "Liveness and readiness probes differ; every probe's port exists on the container",
        enforce: "policy",
        met: { policies: ["require-distinct-valid-probes"] },
        mutants: [
            mutant("the API's readiness probe is a copy of its liveness probe", (s) => {
                const api = s.container(...API, "api");
                api.readinessProbe = structuredClone(api.livenessProbe);
            }),
            mutant("the API's readiness probe checks /health like its liveness probe, with other timings", (s) =>
                set(s.container(...API, "api"), "readinessProbe.httpGet.path", "/health"),
            ),
            mutant("PostgreSQL's readiness runs its liveness check", (s) =>
                set(s.container(...POSTGRES, "postgres"), "readinessProbe.exec", s.container(...POSTGRES, "postgres").livenessProbe.exec),
            ),
        ],
    },
    {
        id: "P.8",
        section: "Peer checks",
        title: "No NodePort/LoadBalancer Service or externalIPs without an explicit exception",
        enforce: "policy",
        met: { policies: ["disallow-exposed-services"] },
        mutants: [
            mutant("the frontend Service becomes a LoadBalancer", (s) =>
                set(s.object("Service", "voting-frontend/frontend"), "spec.type", "LoadBalancer"),
            ),
        ],
    },
    {
        id: "P.9",
        section: "Peer checks",
        title: "Nothing in the `default` namespace",
        enforce: "policy",
        met: { policies: ["disallow-default-namespace"] },
        mutants: [
            mutant("the API Service lands in the default namespace", (s) =>
                set(s.object("Service", "voting-api/api"), "metadata.namespace", "default"),
            ),
        ],
    },
    {
        id: "P.10",
        section: "Peer checks",
        title: "priorityClassName set on production workloads",
        enforce: "policy (advisory)",
        met: { policies: ["require-priority-class"] },
        mutants: [mutant("the API sets no priorityClassName", (s) => unset(s.podSpec(...API), "priorityClassName"))],
    },
    {
        id: "P.11",
        section: "Peer checks",
        title: "Recommended labels (app.kubernetes.io/name, instance, component, part-of, managed-by)",
        enforce: "policy (advisory)",
        met: { policies: ["require-recommended-labels"] },
        mutants: [
            mutant("the API Deployment loses its recommended labels", (s) => set(s.object(...API), "metadata.labels", { app: "api" })),
            mutant("voting-api's default-deny NetworkPolicy loses its labels", (s) =>
                unset(s.object("NetworkPolicy", "voting-api/default-deny"), "metadata.labels"),
            ),
            mutant("voting-data's ResourceQuota loses its instance label", (s) =>
                drop(s.object("ResourceQuota", "voting-data/compute").metadata?.labels, "app.kubernetes.io/instance"),
            ),
        ],
    },
    {
        id: "P.12",
        section: "Peer checks",
        title: "imagePullPolicy sensible for the tag (Always for mutable tags, IfNotPresent for digests)",
        enforce: "policy (advisory)",
        met: { policies: ["require-image-pull-policy"] },
        mutants: [
            mutant("PostgreSQL, on a mutable tag, is pulled only if not present", (s) =>
                set(s.container(...POSTGRES, "postgres"), "imagePullPolicy", "IfNotPresent"),
            ),
        ],
    },
    {
        id: "P.13",
        section: "Peer checks",
        title: "ephemeral-storage requests and limits",
        enforce: "policy (advisory)",
        met: { policies: ["require-ephemeral-storage"] },
        mutants: [
            mutant("the API limits its ephemeral storage below what it requests", (s) => {
                set(s.container(...API, "api"), "resources.requests.ephemeral-storage", "1Gi");
                set(s.container(...API, "api"), "resources.limits.ephemeral-storage", "512Mi");
            }),
        ],
    },
    {
        id: "P.14",
        section: "Peer checks",
        title: 'Host namespaces, hostPath, hostPort, procMount, unsafe sysctls, privileged, hostProcess forbidden (Pod Security "restricted")',
        enforce: "policy (mandatory; reported with 1.1.3)",
        met: {
            policies: [
                "disallow-privileged",
                "disallow-host-namespaces",
                "disallow-host-path",
                "disallow-host-ports",
                "disallow-unsafe-proc-mount-and-sysctls",
                "disallow-host-process",
                "disallow-unconfined-apparmor",
            ],
        },
        mutants: [
            mutant("the API shares the host's network", (s) => set(s.podSpec(...API), "hostNetwork", true)),
            mutant("the frontend mounts a hostPath", (s) => s.podSpec(...FRONTEND).volumes.push({ name: "host", hostPath: { path: "/var/run" } })),
        ],
    },
];
