package io.tspm.spi;

import java.util.List;

/**
 * The service a module provides to make its load-balancing strategies known to configuration by
 * name.
 */
public interface LoadBalancerTypeProvider {

    /** The strategies this provider knows. */
    List<LoadBalancerType> loadBalancerTypes();
}
