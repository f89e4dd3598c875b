package dev.chopsticks.api.v1alpha1;

/** The API group and version shared by every kind in this package. */
public final class ApiGroup {
    public static final String GROUP = "chopsticks.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private ApiGroup() {}
}
