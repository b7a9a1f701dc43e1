import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { daysFromToday } from "../../clock";
import { CREDENTIALS, initialPassword, secretName, secretPayload, type CloudSecretsArgs } from "../credentials";
import { cloudTags } from "../standards";
import { gcpKey } from "./keys";
import { gcpRotationFunction } from "./rotation";

type GcpSecretsArgs = CloudSecretsArgs & { cloud: { provider: "gcp" } };

/**
 * Checklist 6.1.3, 6.1.4: a Secret Manager secret in the stack's region, encrypted with the platform's
 * Cloud KMS key, that announces its rotation on the topic every `secrets.rotationDays`.
 */
export function gcpSecretArgs(
    a: GcpSecretsArgs,
    secretId: string,
    keyName: pulumi.Input<string>,
    topic: pulumi.Input<string>,
): gcp.secretmanager.SecretArgs {
    return {
        project: a.cloud.project,
        secretId,
        replication: { userManaged: { replicas: [{ location: a.cloud.region, customerManagedEncryption: { kmsKeyName: keyName } }] } },
        rotation: { rotationPeriod: `${a.secrets.rotationDays * 86400}s`, nextRotationTime: daysFromToday(a.secrets.rotationDays).toISOString() },
        topics: [{ name: topic }],
        labels: cloudTags(a.stack),
    };
}

/**
 * Secret Manager secrets for the platform's passwords, their key, the topic their rotations are published
 * on, and the function on that topic that writes each next password.
 */
export function gcpSecrets(name: string, a: GcpSecretsArgs, parent: pulumi.Resource): void {
    const opts = { parent };
    const project = a.cloud.project;
    const agent = new gcp.projects.ServiceIdentity(`${name}-agent`, { project, service: "secretmanager.googleapis.com" }, opts);
    const member = pulumi.interpolate`serviceAccount:${agent.email}`;
    const { key, grants } = gcpKey(`${name}-key`, { project, location: a.cloud.region, stack: a.stack, users: [member] }, parent);
    const topic = new gcp.pubsub.Topic(`${name}-rotation`, { project, name: `voting-${a.stack}-secret-rotation`, labels: cloudTags(a.stack) }, opts);
    const publisher = new gcp.pubsub.TopicIAMMember(
        `${name}-rotation-publisher`,
        { project, topic: topic.name, role: "roles/pubsub.publisher", member },
        opts,
    );
    const secretIds = CREDENTIALS.map((credential) => secretName(a.secrets.backend, a.stack, credential));
    const secrets = CREDENTIALS.map((credential, i) => {
        const secret = new gcp.secretmanager.Secret(`${name}-${credential}`, gcpSecretArgs(a, secretIds[i], key.id, topic.id), {
            parent,
            dependsOn: [...grants, publisher],
            // Secret Manager moves the next rotation forward itself after each notification.
            ignoreChanges: ["rotation.nextRotationTime"],
        });
        new gcp.secretmanager.SecretVersion(
            `${name}-${credential}`,
            { secret: secret.id, secretData: secretPayload(initialPassword(`${name}-${credential}-initial`, parent).result) },
            opts,
        );
        if (a.reader) {
            new gcp.secretmanager.SecretIamMember(
                `${name}-${credential}-reader`,
                { project, secretId: secret.secretId, role: "roles/secretmanager.secretAccessor", member: a.reader.principal },
                opts,
            );
        }
        return secret;
    });
    gcpRotationFunction(name, a, { topic, secrets, secretIds }, parent);
}
