import { loadConfig } from "./config";
import { VotingPlatform } from "./components/platform";
import { stackProviders } from "./components/providers";

const config = loadConfig();
const platform = new VotingPlatform("voting", config, { providers: stackProviders("voting", config) });

export const environment = config.environment;
export const namespaces = platform.namespaces;
export const url = platform.url;
export const endpoints = platform.endpoints;
export const backupBucket = platform.backupLocation;
export const capacity = platform.capacity;
