package dev.chopsticks.bot.external;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.regex.Pattern;

/** GitHub REST {@code GET /repos/{owner}/{repo}}. */
public final class GithubClient {
    /** GitHub's allowed owner/repo characters; anything else never reaches the network. */
    public static final Pattern REPO = Pattern.compile("[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}");

    private final URI base;
    private final GuardedHttp http;

    public GithubClient(URI base, GuardedHttp http) {
        this.base = base;
        this.http = http;
    }

    public Repository repository(String ownerAndName) {
        if (!REPO.matcher(ownerAndName).matches()) {
            throw new IllegalArgumentException("expected owner/name");
        }
        JsonNode r = http.getJson(ApiUris.join(base, "/repos/" + ownerAndName));
        return new Repository(
                r.path("full_name").asText(ownerAndName),
                r.path("description").asText(""),
                r.path("stargazers_count").asLong(),
                r.path("forks_count").asLong(),
                r.path("open_issues_count").asLong(),
                r.path("language").asText(""),
                r.path("html_url").asText(""));
    }
}
