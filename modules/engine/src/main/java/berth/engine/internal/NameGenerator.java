package berth.engine.internal;

import java.util.concurrent.ThreadLocalRandom;

/** adjective_noun names for containers created without --name, as podman's namesgenerator. */
public final class NameGenerator {
    private static final String[] LEFT = {"admiring", "agitated", "bold", "brave", "busy", "calm", "clever", "cool",
        "dazzling", "eager", "elated", "epic", "fervent", "focused", "gallant", "gifted", "happy", "hopeful", "jolly",
        "keen", "kind", "lucid", "modest", "nifty", "nostalgic", "peaceful", "quirky", "relaxed", "serene", "sharp",
        "stoic", "sweet", "tender", "trusting", "upbeat", "vibrant", "wizardly", "zealous"};
    private static final String[] RIGHT = {"albattani", "babbage", "banach", "bell", "bohr", "curie", "darwin",
        "dijkstra", "einstein", "euler", "fermat", "feynman", "galileo", "gauss", "hopper", "hypatia", "johnson",
        "kepler", "knuth", "lamarr", "lovelace", "meitner", "newton", "noether", "pascal", "ritchie", "shannon",
        "thompson", "turing", "wozniak", "yonath"};

    private NameGenerator() {
    }

    public static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return LEFT[r.nextInt(LEFT.length)] + "_" + RIGHT[r.nextInt(RIGHT.length)];
    }
}
