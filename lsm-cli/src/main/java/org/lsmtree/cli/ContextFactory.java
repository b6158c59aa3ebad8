package org.lsmtree.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Creates command objects for picocli, handing the {@link Context} to those whose constructor
 * takes one; everything else (converters, plain commands) comes from picocli's default factory.
 */
final class ContextFactory implements CommandLine.IFactory {
    private final Context context;

    ContextFactory(Context context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            Class<?>[] parameters = constructor.getParameterTypes();
            if (parameters.length == 1 && parameters[0] == Context.class) {
                constructor.setAccessible(true);
                return type.cast(constructor.newInstance(context));
            }
        }
        return CommandLine.defaultFactory().create(type);
    }
}
