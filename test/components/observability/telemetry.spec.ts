import * as assert from "assert";
import { parse } from "yaml";
import { cloudwatchRetention } from "../../../components/cloud/logStorage";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { validateAgainstSchema } from "../../helpers/schema";
import { cloudEdit } from "../../helpers/clouds";
import { renderVariant } from "../../helpers/variant";

const env = (objs: any[], name: string) =>
    Object.fromEntries(
        objs
            .find((o) => o.kind === "Deployment" && o.metadata?.name === name)!
            .spec.template.spec.containers[0].env.filter((e: any) => "value" in e)
            .map((e: any) => [e.name, e.value]),
    );

describe("log shipping and tracing (3.1.1, 3.1.2, 6.4.2, 3.3.1)", () => {
    it("keeps prod's application logs 30 days and its audit events 90 days in CloudWatch, encrypted with the stack's key", async () => {
        // The cluster's own audit log group (/aws/eks/...) is the cluster's; these are the application's.
        const groups = (await rendered("prod")).resources.filter(
            (r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && String(r.inputs.name).startsWith("/voting/"),
        );
        assert.deepStrictEqual(
            groups.map((g) => [g.inputs.name, g.inputs.retentionInDays, g.inputs.kmsKeyId]),
            [
                ["/voting/prod/app", 30, "arn:aws:kms:eu-west-1:123456789012:key/3f1c2a9e-7d4b-4e2a-9c1f-5b8e6d7a0c21"],
                ["/voting/prod/audit", 90, "arn:aws:kms:eu-west-1:123456789012:key/3f1c2a9e-7d4b-4e2a-9c1f-5b8e6d7a0c21"],
            ],
        );
        assert.deepStrictEqual(
            [cloudwatchRetention(30), cloudwatchRetention(31), cloudwatchRetention(90), cloudwatchRetention(100)],
            [30, 60, 90, 120],
        );
    });

    it("splits the collector's logs into an application and an audit pipeline, and sends traces to the backend", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const cm = objs.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "otel-collector-config")!;
        const config = parse(cm.data["config.yaml"]);
        assert.deepStrictEqual(config.service.pipelines["logs/app"], {
            receivers: ["otlp"],
            processors: ["memory_limiter", "resource", "filter/app", "batch"],
            exporters: ["awscloudwatchlogs/app"],
        });
        assert.deepStrictEqual(config.exporters["awscloudwatchlogs/audit"], {
            region: "eu-west-1",
            log_group_name: "/voting/prod/audit",
            log_stream_name: "prod",
            raw_log: true,
        });
        assert.deepStrictEqual(config.processors["filter/app"].logs.log_record, [
            '(attributes["event"] == "vote_submitted" or attributes["event"] == "vote_processed")',
        ]);
        assert.deepStrictEqual(config.processors["filter/audit"].logs.log_record, [
            'not (attributes["event"] == "vote_submitted" or attributes["event"] == "vote_processed")',
        ]);
        assert.deepStrictEqual(config.exporters["otlp/traces"], { endpoint: "tempo.monitoring.svc.cluster.local:4317", tls: { insecure: true } });
        const collector = objs.find((o) => o.kind === "Deployment" && o.metadata?.name === "otel-collector")!;
        await validateAgainstSchema(collector);
        assert.deepStrictEqual(
            [collector.spec.replicas, collector.spec.template.spec.containers[0].image],
            [2, "docker.io/otel/opentelemetry-collector-contrib:0.114.0"],
        );
        const sa = objs.find((o) => o.kind === "ServiceAccount" && o.metadata?.name === "otel-collector")!;
        assert.deepStrictEqual(sa.metadata?.annotations, { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/voting-prod-logs" });
    });

    it("sets the apps' structured log fields and OpenTelemetry exporters, sampling 10% of traces in prod", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const api = env(objs, "api");
        assert.deepStrictEqual(
            [
                api.LOG_FORMAT,
                api.SERVICE_NAME,
                api.LOG_FIELDS,
                api.OTEL_LOGS_EXPORTER,
                api.OTEL_TRACES_EXPORTER,
                api.OTEL_TRACES_SAMPLER,
                api.OTEL_TRACES_SAMPLER_ARG,
            ],
            ["json", "api", "timestamp,level,message,service,trace_id", "otlp", "otlp", "parentbased_traceidratio", "0.1"],
        );
        assert.strictEqual(api.OTEL_EXPORTER_OTLP_ENDPOINT, "http://otel-collector.voting-api.svc.cluster.local:4317");
        assert.strictEqual(env(objs, "consumer").SERVICE_NAME, "consumer");
        const staging = env(kubernetesObjects(await rendered("staging")), "api");
        assert.deepStrictEqual(
            [staging.OTEL_LOGS_EXPORTER, staging.OTEL_TRACES_EXPORTER, staging.OTEL_EXPORTER_OTLP_ENDPOINT],
            ["none", "none", undefined],
        );
        assert.ok(!kubernetesObjects(await rendered("staging")).some((o) => o.metadata?.name === "otel-collector"));
    });

    it("routes each stream to its own Cloud Logging bucket on GCP", async () => {
        const all = (await renderVariant("gcplogs", cloudEdit("gcp", "created"))).resources;
        // The application's log stores, beside the cluster's own audit bucket and sink.
        const stores = new Set(all.filter((r) => r.type === "voting:cloud:LogStorage").map((r) => r.key));
        const resources = all.filter((r) => stores.has(r.parent ?? ""));
        const buckets = resources.filter((r) => r.type === "gcp:logging/projectBucketConfig:ProjectBucketConfig");
        assert.deepStrictEqual(
            buckets.map((b) => [b.inputs.bucketId, b.inputs.retentionDays]),
            [
                ["voting-gcplogs-app", 30],
                ["voting-gcplogs-audit", 90],
            ],
        );
        const sinks = resources.filter((r) => r.type === "gcp:logging/projectSink:ProjectSink");
        assert.deepStrictEqual(
            sinks.map((s) => s.inputs.filter),
            ['logName="projects/voting-prod-1234/logs/voting-gcplogs-app"', 'logName="projects/voting-prod-1234/logs/voting-gcplogs-audit"'],
        );
    });
});
