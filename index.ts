import { loadConfig } from "./config";
import { clusterSizing, createCluster } from "./components/cloud/cluster";
import { cloudProvider } from "./components/cloud/provider";
import { VotingPlatform } from "./components/platform";
import { stackProviders } from "./components/providers";

const config = loadConfig();
const cloud = cloudProvider(`voting-${config.cloud.provider}`, config.cloud, config.stack);
const cluster = createCluster("voting-cluster", config, { providers: { [cloud.package]: cloud.provider } });
const providers = stackProviders("voting", config, { cloud, kubernetes: cluster?.provider });
const platform = new VotingPlatform("voting", config, { providers }, cluster);

export const environment = config.environment;
export const namespaces = platform.namespaces;
export const url = platform.url;
export const endpoints = platform.endpoints;
export const backupBucket = platform.backupLocation;
export const capacity = platform.capacity;
export const nodePool = clusterSizing(config) ?? null;
export const kubeconfig = cluster?.kubeconfig ?? null;
