/** The voting platform's namespaces: the defaults of the rules that judge a stack's layout. */
export const PLATFORM_NAMESPACES = ["voting-frontend", "voting-api", "voting-consumer", "voting-data"];
