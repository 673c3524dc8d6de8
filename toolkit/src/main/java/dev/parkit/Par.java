package dev.parkit;

public final class Par {
    private Par() {}
}
