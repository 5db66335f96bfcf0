package io.postbox.commands.zsets;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleBinaryOperator;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD: one mechanism, as Redis's
 * zunionInterDiffGenericCommand. Inputs are sorted sets or plain sets, whose members score 1
 * ({@link InputSet}); a missing key is an empty set.
 *
 * <p>Floating-point sums depend on their order, so the order is Redis's: union and intersection
 * visit the inputs from the smallest to the largest (a stable sort by size), and an intersection
 * combines each member's scores in that order. A weighted score that is NaN (0 times infinity)
 * counts as 0 where Redis makes it 0, and so does a NaN sum.
 */
final class SetOperations {

    private static final ErrorReply WEIGHT_NOT_A_FLOAT = Errors.err("weight value is not a float");
    private static final ErrorReply LIMIT_NEGATIVE = Errors.err("LIMIT can't be negative");

    /** What combines the inputs, and the keyspace event of its STORE form. */
    private enum Operation {
        UNION("zunionstore"), INTER("zinterstore"), DIFF("zdiffstore");

        final String storeEvent;

        Operation(String storeEvent) {
            this.storeEvent = storeEvent;
        }
    }

    /** How a member's scores from several inputs are combined. */
    private enum Aggregate implements DoubleBinaryOperator {
        SUM {
            @Override
            public double applyAsDouble(double total, double score) {
                double sum = total + score;
                return Double.isNaN(sum) ? 0 : sum;
            }
        },
        MIN {
            @Override
            public double applyAsDouble(double least, double score) {
                return score < least ? score : least;
            }
        },
        MAX {
            @Override
            public double applyAsDouble(double greatest, double score) {
                return score > greatest ? score : greatest;
            }
        }
    }

    /** One input key: its members and its weight. */
    private record Input(InputSet set, double weight) {
        long size() {
            return set.size();
        }

        /** The weighted score; 0 where the product is NaN. */
        double weighted(double score) {
            double value = weight * score;
            return Double.isNaN(value) ? 0 : value;
        }
    }

    /** What the caller wants of the result. */
    private enum Output { REPLY, STORE, CARDINALITY }

    private SetOperations() {
    }

    static void zunion(Invocation call) {
        combine(call, 1, Operation.UNION, Output.REPLY);
    }

    static void zinter(Invocation call) {
        combine(call, 1, Operation.INTER, Output.REPLY);
    }

    static void zdiff(Invocation call) {
        combine(call, 1, Operation.DIFF, Output.REPLY);
    }

    static void zunionstore(Invocation call) {
        combine(call, 2, Operation.UNION, Output.STORE);
    }

    static void zinterstore(Invocation call) {
        combine(call, 2, Operation.INTER, Output.STORE);
    }

    static void zdiffstore(Invocation call) {
        combine(call, 2, Operation.DIFF, Output.STORE);
    }

    static void zintercard(Invocation call) {
        combine(call, 1, Operation.INTER, Output.CARDINALITY);
    }

    /**
     * Redis's order: numkeys, then every input key's type, then the options (WEIGHTS and AGGREGATE
     * but not for ZDIFF or ZINTERCARD, WITHSCORES only when replying, LIMIT only for ZINTERCARD).
     */
    private static void combine(Invocation call, int numkeysIndex, Operation operation, Output output) {
        long numkeys = call.longArg(numkeysIndex);
        if (numkeys < 1) {
            throw Errors.err("at least 1 input key is needed for '" + call.command().fullName() + "' command");
        }
        if (numkeys > call.argc() - (numkeysIndex + 1)) {
            throw Errors.SYNTAX;
        }
        int keys = (int) numkeys;
        InputSet[] sets = new InputSet[keys];
        for (int i = 0; i < keys; i++) {
            sets[i] = InputSet.of(call.db().get(call.arg(numkeysIndex + 1 + i)));
        }
        double[] weights = new double[keys];
        Arrays.fill(weights, 1);
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        boolean weighable = operation != Operation.DIFF && output != Output.CARDINALITY;
        int j = numkeysIndex + 1 + keys;
        while (j < call.argc()) {
            int remaining = call.argc() - j;
            if (weighable && remaining >= keys + 1 && Arguments.is(call, j, "weights")) {
                for (int i = 0; i < keys; i++) {
                    weights[i] = Scores.parse(call.arg(j + 1 + i), WEIGHT_NOT_A_FLOAT);
                }
                j += keys + 1;
            } else if (weighable && remaining >= 2 && Arguments.is(call, j, "aggregate")) {
                aggregate = aggregateNamed(call, j + 1);
                j += 2;
            } else if (output == Output.REPLY && Arguments.is(call, j, "withscores")) {
                withScores = true;
                j++;
            } else if (output == Output.CARDINALITY && remaining >= 2 && Arguments.is(call, j, "limit")) {
                limit = Arguments.nonNegative(call, j + 1, LIMIT_NEGATIVE);
                j += 2;
            } else {
                throw Errors.SYNTAX;
            }
        }
        List<Input> inputs = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            inputs.add(new Input(sets[i], weights[i]));
        }
        if (output == Output.CARDINALITY) {
            call.reply().integer(intersectionSize(bySize(inputs), limit));
            return;
        }
        SortedSetBuilder result = switch (operation) {
            case UNION -> union(bySize(inputs), aggregate);
            case INTER -> intersection(bySize(inputs), aggregate);
            case DIFF -> difference(inputs);
        };
        if (output == Output.STORE) {
            PackedLimits limits = PackedLimits.of(call.engine().config());
            SortedSetStore.store(call, call.arg(1), result.toSortedSet(limits), operation.storeEvent);
            return;
        }
        Reply reply = call.reply();
        EntryReply shape = EntryReply.of(reply, withScores);
        SkipListEncoding ordered = result.ordered();
        shape.begin(reply, ordered.size());
        if (ordered.size() > 0) {
            ordered.visit(0, ordered.size(), false, shape.to(reply));
        }
    }

    private static Aggregate aggregateNamed(Invocation call, int i) {
        for (Aggregate aggregate : Aggregate.values()) {
            if (Arguments.is(call, i, aggregate.name().toLowerCase(Locale.ROOT))) {
                return aggregate;
            }
        }
        throw Errors.SYNTAX;
    }

    /** The inputs from the smallest set to the largest; equal sizes keep their order. */
    private static List<Input> bySize(List<Input> inputs) {
        List<Input> sorted = new ArrayList<>(inputs);
        sorted.sort(Comparator.comparingLong(Input::size));
        return sorted;
    }

    private static SortedSetBuilder union(List<Input> inputs, Aggregate aggregate) {
        SortedSetBuilder result = new SortedSetBuilder();
        for (Input input : inputs) {
            input.set().forEach((member, score) -> result.add(member, input.weighted(score), aggregate));
        }
        return result;
    }

    /**
     * The members of the smallest input that every other input has. Only the first input's weighted
     * score is cleared of NaN; the others are combined as they come, as Redis does.
     */
    private static SortedSetBuilder intersection(List<Input> inputs, Aggregate aggregate) {
        SortedSetBuilder result = new SortedSetBuilder();
        Input smallest = inputs.get(0);
        if (smallest.size() == 0) {
            return result;
        }
        smallest.set().forEach((member, score) -> {
            double combined = smallest.weighted(score);
            for (int i = 1; i < inputs.size(); i++) {
                Input other = inputs.get(i);
                double found = other.set().score(member);
                if (Double.isNaN(found)) {
                    return;
                }
                combined = aggregate.applyAsDouble(combined, other.weight() * found);
            }
            result.add(member, combined, aggregate);
        });
        return result;
    }

    /** How many members every input has, counting no further than {@code limit} (0: no limit). */
    private static long intersectionSize(List<Input> inputs, long limit) {
        Input smallest = inputs.get(0);
        if (smallest.size() == 0) {
            return 0;
        }
        long[] count = {0};
        smallest.set().forEach((member, score) -> {
            if (limit > 0 && count[0] >= limit) {
                return;
            }
            for (int i = 1; i < inputs.size(); i++) {
                if (Double.isNaN(inputs.get(i).set().score(member))) {
                    return;
                }
            }
            count[0]++;
        });
        return count[0];
    }

    /** The members of the first input that no other input has, with their unweighted scores. */
    private static SortedSetBuilder difference(List<Input> inputs) {
        SortedSetBuilder result = new SortedSetBuilder();
        inputs.get(0).set().forEach((member, score) -> {
            for (int i = 1; i < inputs.size(); i++) {
                if (!Double.isNaN(inputs.get(i).set().score(member))) {
                    return;
                }
            }
            result.add(member, score, Aggregate.SUM);
        });
        return result;
    }
}
