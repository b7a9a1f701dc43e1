import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { CREDENTIALS, type CloudSecretsArgs } from "../credentials";
import { hardenedBucketArgs, kmsLocationFor } from "../gcp";
import { cloudTags } from "../standards";
import { gcpKey } from "./keys";
import { GCP_ROTATION_ENTRY_POINT, GCP_ROTATION_HANDLER_SOURCE, GCP_ROTATION_PACKAGE_JSON } from "./rotationHandler";

type GcpSecretsArgs = CloudSecretsArgs & { cloud: { provider: "gcp" } };

/**
 * Days an uploaded source archive is kept. Cloud Functions copies the archive when it builds; an archive
 * this old is only needed again if the function is rebuilt without a change of source, and `pulumi up
 * --refresh` then uploads it anew.
 */
export const SOURCE_ARCHIVE_DAYS = 365;

/** The roles the rotation function holds on each secret: add versions, and read versions' metadata (not values). */
export const GCP_ROTATION_SECRET_ROLES = ["roles/secretmanager.secretVersionAdder", "roles/secretmanager.viewer"] as const;

/** `rotate-<stack>`, cut to the 30 characters a service account id allows, ending on a letter or digit. */
export const rotationAccountId = (stack: string) => `rotate-${stack}`.slice(0, 30).replace(/-+$/, "");

/** The archive Cloud Functions builds: the handler and its package.json. Its name changes with its content. */
export function rotationSourceArchive(): { object: string; archive: pulumi.asset.AssetArchive } {
    const digest = createHash("sha256").update(GCP_ROTATION_HANDLER_SOURCE).update(GCP_ROTATION_PACKAGE_JSON).digest("hex").slice(0, 16);
    return {
        object: `rotate-credentials/${digest}.zip`,
        archive: new pulumi.asset.AssetArchive({
            "index.js": new pulumi.asset.StringAsset(GCP_ROTATION_HANDLER_SOURCE),
            "package.json": new pulumi.asset.StringAsset(GCP_ROTATION_PACKAGE_JSON),
        }),
    };
}

/**
 * The bucket of the function's source, held to the same standard as every bucket of the platform
 * (policies/rules/cloud): its own Cloud KMS key, dual-region where a replica region is set, versioned,
 * private, and archives deleted after SOURCE_ARCHIVE_DAYS.
 */
export function rotationSourceBucketArgs(a: GcpSecretsArgs, keyName: pulumi.Input<string>): gcp.storage.BucketArgs {
    const { noncurrentRule, ...bucket } = hardenedBucketArgs(a, keyName);
    return {
        ...bucket,
        forceDestroy: true,
        lifecycleRules: [{ action: { type: "Delete" }, condition: { age: SOURCE_ARCHIVE_DAYS } }, noncurrentRule],
    };
}

/**
 * Checklist 6.1.3 on GCP: a Cloud Function (2nd gen) on the rotation topic that writes the next password
 * of the secret Secret Manager announces. It runs as its own service account, which may add versions to
 * and read versions' metadata of the platform's secrets only; the trigger invokes it as that account.
 * One instance handling one event at a time, so a redelivered message finds the version already written.
 */
export function gcpRotationFunctionArgs(
    a: GcpSecretsArgs,
    s: {
        readonly bucket: pulumi.Input<string>;
        readonly object: pulumi.Input<string>;
        readonly generation: pulumi.Input<number>;
        readonly account: pulumi.Input<string>;
        readonly topic: pulumi.Input<string>;
        readonly secretIds: readonly string[];
    },
): gcp.cloudfunctionsv2.FunctionArgs {
    return {
        project: a.cloud.project,
        location: a.cloud.region,
        name: `voting-${a.stack}-rotate-credentials`,
        description: "Writes the next PostgreSQL or Redis password of the voting platform when Secret Manager announces a rotation",
        buildConfig: {
            runtime: "nodejs20",
            entryPoint: GCP_ROTATION_ENTRY_POINT,
            source: { storageSource: { bucket: s.bucket, object: s.object, generation: s.generation } },
        },
        serviceConfig: {
            serviceAccountEmail: s.account,
            availableMemory: "256M",
            timeoutSeconds: 60,
            minInstanceCount: 0,
            maxInstanceCount: 1,
            maxInstanceRequestConcurrency: 1,
            ingressSettings: "ALLOW_INTERNAL_ONLY",
            allTrafficOnLatestRevision: true,
            environmentVariables: { ROTATED_SECRETS: s.secretIds.join(",") },
        },
        eventTrigger: {
            triggerRegion: a.cloud.region,
            eventType: "google.cloud.pubsub.topic.v1.messagePublished",
            pubsubTopic: s.topic,
            retryPolicy: "RETRY_POLICY_RETRY",
            serviceAccountEmail: s.account,
        },
        labels: cloudTags(a.stack),
    };
}

/** The rotation function, its service account and grants, and the bucket of its source. */
export function gcpRotationFunction(
    name: string,
    a: GcpSecretsArgs,
    s: { readonly topic: gcp.pubsub.Topic; readonly secrets: readonly gcp.secretmanager.Secret[]; readonly secretIds: readonly string[] },
    parent: pulumi.Resource,
): gcp.cloudfunctionsv2.Function {
    const opts = { parent };
    const project = a.cloud.project;
    const account = new gcp.serviceaccount.Account(
        `${name}-rotation`,
        {
            project,
            accountId: rotationAccountId(a.stack),
            displayName: `voting-${a.stack} credential rotation`,
            description: "Adds the next version of the voting platform's PostgreSQL and Redis passwords",
        },
        opts,
    );
    const member = pulumi.interpolate`serviceAccount:${account.email}`;
    const grants = s.secrets.flatMap((secret, i) =>
        GCP_ROTATION_SECRET_ROLES.map(
            (role) =>
                new gcp.secretmanager.SecretIamMember(
                    `${name}-${CREDENTIALS[i]}-rotation-${role.split(".")[1]}`,
                    { project, secretId: secret.secretId, role, member },
                    opts,
                ),
        ),
    );

    const location = rotationSourceBucketArgs(a, "").location as string;
    const storageAgent = gcp.storage.getProjectServiceAccountOutput({ project }, { parent });
    const { key, grants: keyGrants } = gcpKey(
        `${name}-rotation-source-key`,
        { project, location: kmsLocationFor(location), stack: a.stack, users: [pulumi.interpolate`serviceAccount:${storageAgent.emailAddress}`] },
        parent,
    );
    const bucket = new gcp.storage.Bucket(`${name}-rotation-source`, rotationSourceBucketArgs(a, key.id), { parent, dependsOn: keyGrants });
    const { object, archive } = rotationSourceArchive();
    const source = new gcp.storage.BucketObject(`${name}-rotation-source`, { bucket: bucket.name, name: object, source: archive }, opts);

    const fn = new gcp.cloudfunctionsv2.Function(
        `${name}-rotation`,
        gcpRotationFunctionArgs(a, {
            bucket: bucket.name,
            object: source.name,
            generation: source.generation,
            account: account.email,
            topic: s.topic.id,
            secretIds: s.secretIds,
        }),
        { parent, dependsOn: grants },
    );
    // The trigger delivers each message as the function's own account, which must be allowed to invoke it.
    new gcp.cloudrunv2.ServiceIamMember(
        `${name}-rotation-invoker`,
        { project, location: a.cloud.region, name: fn.name, role: "roles/run.invoker", member },
        opts,
    );
    return fn;
}
