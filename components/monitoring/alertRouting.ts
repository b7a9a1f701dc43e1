import type { IAlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import type { IExternalSecret } from "../secrets/appSecrets";
import type { AlertReceiver, Severity } from "../../config/types";
import { standardLabels } from "../labels";

/** The Secret that holds every receiver's credential, one key per receiver name (routing key, webhook URL, API key). */
export const RECEIVER_SECRET = "alert-receivers";

/**
 * How fast each severity reaches its receivers (checklist 3.4.2): P0 at once and again every 15 minutes,
 * P1 within minutes, P2 batched. Escalation rules page one level up when an alert outlives its window.
 */
export const SEVERITY_TIMING: Readonly<Record<Severity, { groupWait: string; groupInterval: string; repeatInterval: string }>> = {
    P0: { groupWait: "0s", groupInterval: "1m", repeatInterval: "15m" },
    P1: { groupWait: "1m", groupInterval: "5m", repeatInterval: "1h" },
    P2: { groupWait: "5m", groupInterval: "15m", repeatInterval: "4h" },
};

const secretRef = (r: AlertReceiver) => ({ name: RECEIVER_SECRET, key: r.name });

/** A receiver of the configured kind; its credential is only ever a reference to the Secret. */
function receiver(r: AlertReceiver): NonNullable<IAlertmanagerConfig["spec"]["receivers"]>[number] {
    switch (r.kind) {
        case "pagerduty":
            return { name: r.name, pagerdutyConfigs: [{ routingKey: secretRef(r), sendResolved: true }] };
        case "opsgenie":
            return { name: r.name, opsgenieConfigs: [{ apiKey: secretRef(r), sendResolved: true }] };
        case "slack":
            return { name: r.name, slackConfigs: [{ apiURL: secretRef(r), sendResolved: true }] };
        case "webhook":
            return { name: r.name, webhookConfigs: [{ urlSecret: secretRef(r), sendResolved: true }] };
        case "email":
            return { name: r.name, emailConfigs: [{ to: r.to!, sendResolved: true }] };
    }
}

/** Receivers whose credential the Secret must hold (email uses Alertmanager's global SMTP settings). */
export const needsCredential = (r: AlertReceiver) => r.kind !== "email";

/**
 * Checklist 3.4.2: one route per severity and receiver, each severity with its timing; `continue` lets an
 * alert reach every receiver of its severity. Alerts nothing routes go to a receiver with no integration.
 */
export function buildAlertmanagerConfig(receivers: readonly AlertReceiver[], namespace: string, stack: string): IAlertmanagerConfig {
    const severities: Severity[] = ["P0", "P1", "P2"];
    return {
        apiVersion: "monitoring.coreos.com/v1alpha1",
        kind: "AlertmanagerConfig",
        metadata: {
            name: "voting-alert-routing",
            namespace,
            labels: { ...standardLabels({ name: "voting-alert-routing", component: "monitoring" }, stack), release: "kube-prometheus-stack" },
        },
        spec: {
            route: {
                receiver: "unrouted",
                groupBy: ["alertname", "source_namespace"],
                ...SEVERITY_TIMING.P2,
                routes: severities.flatMap((sev) =>
                    receivers
                        .filter((r) => r.severities.includes(sev))
                        .map((r) => ({
                            receiver: r.name,
                            matchers: [{ name: "severity", value: sev, matchType: "=" as const }],
                            ...SEVERITY_TIMING[sev],
                            continue: true,
                        })),
                ),
            },
            receivers: [{ name: "unrouted" }, ...receivers.map(receiver)],
        },
    };
}

/**
 * Prod: the receivers' credentials come from the cloud's secret manager, one property per receiver of the
 * entry `remoteKey` (`voting/<stack>/alerting`, or `voting-<stack>-alerting` where names take no slash).
 */
export function buildReceiverExternalSecret(
    receivers: readonly AlertReceiver[],
    namespace: string,
    stack: string,
    refreshInterval: string,
    store: string,
    remoteKey = `voting/${stack}/alerting`,
): IExternalSecret {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: RECEIVER_SECRET, namespace, labels: standardLabels({ name: RECEIVER_SECRET, component: "monitoring" }, stack) },
        spec: {
            refreshInterval,
            secretStoreRef: { kind: "ClusterSecretStore", name: store },
            target: { name: RECEIVER_SECRET, creationPolicy: "Owner", deletionPolicy: "Retain" },
            data: receivers.filter(needsCredential).map((r) => ({ secretKey: r.name, remoteRef: { key: remoteKey, property: r.name } })),
        },
    };
}
