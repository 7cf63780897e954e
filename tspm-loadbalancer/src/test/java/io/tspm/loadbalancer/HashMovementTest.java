package io.tspm.loadbalancer;

import static io.tspm.loadbalancer.FakeEndpoint.first;
import static io.tspm.loadbalancer.FakeEndpoint.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The hashing strategies keep keys where they were, and move the fewest when membership changes. */
class HashMovementTest {

    private static final int KEYS = 20_000;

    private static int[] owners(LoadBalancer strategy, Endpoints view, Function<Integer, PickContext> context) {
        Picker p = strategy.picker(view);
        int[] owner = new int[KEYS];
        for (int k = 0; k < KEYS; k++) {
            owner[k] = p.pick(context.apply(k)).instanceId();
        }
        return owner;
    }

    private static Function<Integer, PickContext> clients() {
        return k -> Contexts.client("10." + (k >> 16 & 255) + "." + (k >> 8 & 255) + "." + (k & 255));
    }

    private static Function<Integer, PickContext> keys() {
        return k -> Contexts.key("user-" + k);
    }

    @Test
    void ipHash_isStablePerClient_andSpreadsClients() {
        int[] once = owners(Strategies.ipHash(), first(4), clients());
        int[] again = owners(Strategies.ipHash(), first(4), clients());
        assertThat(again).isEqualTo(once);
        int[] perInstance = new int[4];
        for (int o : once) {
            perInstance[o]++;
        }
        for (int c : perInstance) {
            assertThat(c).isBetween(4_500, 5_500); // 5,000 each expected
        }
    }

    @Test
    void ipHash_addingAnInstance_movesAboutOneInNPlusOne_andOnlyToTheNewOne() {
        for (int n = 2; n <= 8; n++) {
            int[] before = owners(Strategies.ipHash(), first(n), clients());
            int[] after = owners(Strategies.ipHash(), first(n + 1), clients());
            int moved = 0;
            for (int k = 0; k < KEYS; k++) {
                if (before[k] != after[k]) {
                    moved++;
                    assertThat(after[k]).as("a moved client goes to the new instance").isEqualTo(n);
                }
            }
            double expected = KEYS / (double) (n + 1);
            assertThat((double) moved).as("moved of %d on %d -> %d", KEYS, n, n + 1)
                    .isBetween(expected * 0.9, expected * 1.1);
        }
    }

    @Test
    void consistentHash_scaleUpMovesAtMostAboutOneInNPlusOne() {
        int[] before = owners(Strategies.consistentHash(), first(5), keys());
        int[] after = owners(Strategies.consistentHash(), first(6), keys());
        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            if (before[k] != after[k]) {
                moved++;
                assertThat(after[k]).isEqualTo(5);
            }
        }
        assertThat(moved).isLessThanOrEqualTo((int) (KEYS / 6.0 * 1.1)).isGreaterThan(0);
    }

    @Test
    void consistentHash_scaleDownMovesOnlyTheRemovedInstancesKeys() {
        int[] before = owners(Strategies.consistentHash(), first(6), keys());
        int[] after = owners(Strategies.consistentHash(), first(4), keys());
        for (int k = 0; k < KEYS; k++) {
            if (before[k] < 4) {
                assertThat(after[k]).isEqualTo(before[k]);
            }
        }
    }

    @Test
    void consistentHash_anInstanceMissingInTheMiddle_movesOnlyItsKeys_andTheyComeBack() {
        int[] all = owners(Strategies.consistentHash(), first(5), keys());
        int[] without2 = owners(Strategies.consistentHash(), ids(0, 1, 3, 4), keys());
        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            if (all[k] != 2) {
                assertThat(without2[k]).isEqualTo(all[k]);
            } else {
                moved++;
                assertThat(without2[k]).isNotEqualTo(2);
            }
        }
        assertThat(moved).isBetween(3_600, 4_400);
        assertThat(owners(Strategies.consistentHash(), first(5), keys())).isEqualTo(all);
    }

    @Test
    void consistentHash_withoutAKey_usesTheClientAddress_thenRoundRobin() {
        Picker p = Strategies.consistentHash().picker(first(3));
        int owner = p.pick(Contexts.client("192.0.2.7")).instanceId();
        for (int k = 0; k < 10; k++) {
            assertThat(p.pick(Contexts.client("192.0.2.7")).instanceId()).isEqualTo(owner);
        }
        assertThat(new int[] {p.pick(PickContext.NONE).instanceId(), p.pick(PickContext.NONE).instanceId(),
            p.pick(PickContext.NONE).instanceId()}).containsExactly(0, 1, 2);
    }
}
