import { at, label, list, ofType, str, T } from "../../lib/cloud";
import { defineRule, type CloudFinding, type CloudResource } from "../../lib/rule";

const SECRETS_MANAGER = "secretsmanager.amazonaws.com";
const PUBSUB_PUBLISHED = [
    "google.cloud.pubsub.topic.v1.messagePublished",
    "google.pubsub.topic.publish",
    "providers/cloud.pubsub/eventTypes/topic.publish",
];
const NEAR_EXPIRY = "microsoft.keyvault.secretnearexpiry";

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : undefined);

/** The function name of a Lambda ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`), or undefined. */
export const lambdaName = (arn: string): string | undefined => /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(arn)?.[1];

/** Whether an Event Grid subscription's subject filters let through the event of `subject` (a Key Vault secret's name). */
function subjectPasses(filter: Record<string, unknown> | undefined, subject: string): boolean {
    const caseSensitive = at(filter, "isSubjectCaseSensitive") === true;
    const norm = (v: unknown) => (typeof v === "string" ? (caseSensitive ? v : v.toLowerCase()) : undefined);
    const s = norm(subject)!;
    const begins = norm(at(filter, "subjectBeginsWith"));
    const ends = norm(at(filter, "subjectEndsWith"));
    if (begins && !s.startsWith(begins)) return false;
    if (ends && !s.endsWith(ends)) return false;
    for (const f of list(at(filter, "advancedFilters"))) {
        if (lower(at(f as Record<string, unknown>, "key")) !== "subject") continue;
        // Advanced filters compare strings without regard to case.
        const values = list(at(f as Record<string, unknown>, "values"))
            .filter((x): x is string => typeof x === "string")
            .map((x) => x.toLowerCase());
        const op = at(f as Record<string, unknown>, "operatorType");
        const v = subject.toLowerCase();
        if (op === "StringIn" && !values.includes(v)) return false;
        if (op === "StringNotIn" && values.includes(v)) return false;
        if (op === "StringBeginsWith" && !values.some((x) => v.startsWith(x))) return false;
        if (op === "StringEndsWith" && !values.some((x) => v.endsWith(x))) return false;
        if (op === "StringContains" && !values.some((x) => v.includes(x))) return false;
    }
    return true;
}

/**
 * Checklist 6.1.3: a rotation the stack announces is carried out. AWS: a SecretRotation's Lambda, where
 * it is a function of the stack, may be invoked by Secrets Manager for that secret; GCP: a secret's
 * rotation topic triggers a Cloud Function; Azure: a Key Vault secret that expires is delivered, by an
 * Event Grid subscription on its vault's events, to a handler of SecretNearExpiry.
 */
export const requireSecretRotationHandler = defineRule({
    scope: "cloud",
    name: "require-secret-rotation-handler",
    description:
        "Every announced secret rotation has a handler in the stack that writes the next value: an AWS rotation Lambda Secrets Manager may invoke, a Cloud Function on a GCP secret's rotation topic, an Event Grid subscription delivering an expiring Key Vault secret's SecretNearExpiry.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Keep the rotation handler the program builds (components/cloud/*/rotation.ts, aws/secrets.ts): AWS a lambda Permission for secretsmanager.amazonaws.com; GCP a cloudfunctionsv2 Function with eventTrigger.pubsubTopic set to the secret's topic; Azure a SystemTopic on the vault and a SystemTopicEventSubscription including Microsoft.KeyVault.SecretNearExpiry for the secret.",
    checklist: ["6.1.3"],
    settings: {},
    check: (resources) => {
        const out: CloudFinding[] = [];

        const functions = ofType(resources, T.lambdaFunction);
        const permissions = ofType(resources, T.lambdaPermission);
        // The ARNs a permission's sourceArn may name for a rotation's secret: its secretId is the ARN, or the id or name of a secret whose ARN it is.
        const secretArns = (rotation: CloudResource) => {
            const id = at(rotation, "secretId");
            const secret = ofType(resources, T.awsSecret).find((s) => at(s, "id") === id || at(s, "name") === id);
            return [id, at(secret, "arn")];
        };
        for (const rotation of ofType(resources, T.awsSecretRotation)) {
            const arn = str(at(rotation, "rotationLambdaArn"));
            if (arn === undefined) continue;
            const fn = functions.find((f) => at(f, "arn") === arn || at(f, "name") === lambdaName(arn));
            // A Lambda of another stack is not judged here; limit-secret-rotation-period requires that one is named.
            if (!fn) continue;
            const names = [arn, at(fn, "arn"), at(fn, "name")];
            const arns = secretArns(rotation);
            const allowed = permissions.some((p) => {
                const target = str(at(p, "function"));
                const source = at(p, "sourceArn");
                return (
                    at(p, "principal") === SECRETS_MANAGER &&
                    ["lambda:InvokeFunction", "lambda:*"].includes(at(p, "action") as string) &&
                    target !== undefined &&
                    names.includes(target) &&
                    (source === undefined || arns.includes(source))
                );
            });
            if (!allowed)
                out.push({
                    resource: rotation,
                    message: `${label(rotation)} names Lambda ${str(at(fn, "name")) ?? arn}, which Secrets Manager may not invoke for this secret; add a lambda Permission for ${SECRETS_MANAGER}`,
                });
        }

        const triggers = [
            ...ofType(resources, T.cloudFunction2).map((f) => ({
                topic: at(f, "eventTrigger", "pubsubTopic"),
                type: at(f, "eventTrigger", "eventType"),
            })),
            ...ofType(resources, T.cloudFunction1).map((f) => ({
                topic: at(f, "eventTrigger", "resource"),
                type: at(f, "eventTrigger", "eventType"),
            })),
        ];
        for (const s of ofType(resources, T.gcpSecret)) {
            const topics = list(at(s, "topics"))
                .map((t) => str(at(t as Record<string, unknown>, "name")))
                .filter((t): t is string => t !== undefined);
            if (at(s, "rotation", "rotationPeriod") === undefined || topics.length === 0) continue;
            if (!triggers.some((t) => topics.includes(t.topic as string) && PUBSUB_PUBLISHED.includes(t.type as string)))
                out.push({
                    resource: s,
                    message: `${label(s)} announces its rotation on ${topics.join(", ")}, which triggers no Cloud Function; deploy one on that topic that writes the next version`,
                });
        }

        const vaultTopics = ofType(resources, T.eventGridSystemTopic).filter((t) => lower(at(t, "topicType")) === "microsoft.keyvault.vaults");
        const subscriptions = ofType(resources, T.eventGridSubscription);
        for (const s of ofType(resources, T.keyVaultSecret)) {
            if (typeof at(s, "properties", "attributes", "expires") !== "number") continue;
            const vault = str(at(s, "vaultName"));
            const name = str(at(s, "secretName")) ?? s.name;
            const topics = vaultTopics
                .filter((t) => vault !== undefined && lower(at(t, "source"))?.endsWith(`/vaults/${vault.toLowerCase()}`))
                .flatMap((t) => [at(t, "systemTopicName"), at(t, "name")]);
            const delivered = subscriptions.some((sub) => {
                const topic = str(at(sub, "systemTopicName"));
                if (topic === undefined || !topics.includes(topic)) return false;
                const destination = at(sub, "destination");
                if (destination === null || typeof destination !== "object" || Object.keys(destination).length === 0) return false;
                const types = list(at(sub, "filter", "includedEventTypes")).map(lower);
                if (types.length > 0 && !types.includes(NEAR_EXPIRY)) return false;
                return subjectPasses(at(sub, "filter") as Record<string, unknown> | undefined, name);
            });
            if (!delivered)
                out.push({
                    resource: s,
                    message: `${label(s)} expires, and no Event Grid subscription on vault ${vault ?? "(unnamed)"}'s events delivers its SecretNearExpiry; subscribe a handler that writes the next version`,
                });
        }
        return out;
    },
});
