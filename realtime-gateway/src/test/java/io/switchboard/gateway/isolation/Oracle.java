package io.switchboard.gateway.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.isolation.World.Account;
import io.switchboard.gateway.isolation.World.Agent;
import io.switchboard.gateway.isolation.World.Conversation;
import io.switchboard.gateway.isolation.World.Customer;
import io.switchboard.gateway.isolation.World.MessageFact;
import io.switchboard.gateway.isolation.World.Party;
import io.switchboard.gateway.isolation.World.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Decides for every frame a client received whether it was allowed, from the model alone: the entity must
 * belong to the receiver's account (tenant isolation, first), and a conversation's events, messages,
 * ratings and typing must concern a conversation the receiver could see under the rules, with the
 * memberships it held between the event and now. Returns null when allowed, else why not.
 */
final class Oracle {

    private final World world;

    Oracle(World world) {
        this.world = world;
    }

    long now() {
        return world.clock;
    }

    String check(Party party, JsonNode frame) {
        String type = frame.path("type").asText();
        return switch (type) {
            case "event" -> event(party, frame);
            case "typing" -> typing(party, frame);
            case "presence" -> party instanceof Customer ? "presence frame sent to a customer"
                    : inAccount(party, frame.path("agentId").asText(), "presence of");
            case "metrics" -> party instanceof Agent agent && agent.seesWholeAccount()
                    && party.account.id().toString().equals(frame.path("data").path("accountId").asText())
                    ? null : "metrics of account " + frame.path("data").path("accountId").asText();
            default -> null;
        };
    }

    private String event(Party party, JsonNode frame) {
        String entity = frame.path("entity").asText();
        String foreign = inAccount(party, frame.path("id").asText(), entity);
        if (foreign == null && frame.has("conversationId")) {
            foreign = inAccount(party, frame.path("conversationId").asText(), "conversation of " + entity);
        }
        if (foreign != null) {
            return foreign;
        }
        UUID id = UUID.fromString(frame.path("id").asText());
        long now = world.clock;
        switch (entity) {
            case "conversation" -> {
                Conversation conversation = world.conversations.get(id);
                long version = frame.path("version").asLong();
                List<Scope> scopes = new ArrayList<>();
                scopes.add(conversation.scopes.get(conversation.segmentOf(version)).scope());
                int before = conversation.segmentOf(Math.max(1, version - 1));
                scopes.add(conversation.scopes.get(before).scope());
                long from = conversation.scopes.get(before).time();
                return World.couldSee(party, scopes, from, now) ? null : "conversation " + id + " v" + version + " outside the receiver's scope";
            }
            case "message" -> {
                MessageFact message = world.messages.get(id);
                if (message == null) {
                    return null; // a message the model did not write (none in these accounts): inAccount would have failed
                }
                if (message.privateNote() && party instanceof Customer) {
                    return "private note " + id + " sent to a customer";
                }
                return World.couldSee(party, List.of(message.scope()), message.time(), now) ? null
                        : "message " + id + " of a conversation outside the receiver's scope";
            }
            case "csat_rating" -> {
                Conversation conversation = world.conversations.get(world.ratings.get(id));
                if (conversation == null) {
                    return null;
                }
                return World.couldSee(party, conversation.scopesDuring(conversation.createdAt, now), conversation.createdAt, now) ? null
                        : "rating " + id + " of a conversation outside the receiver's scope";
            }
            case "agent" -> {
                return party instanceof Customer ? "agent event sent to a customer" : null;
            }
            default -> {
                return "unexpected entity " + entity;
            }
        }
    }

    private String typing(Party party, JsonNode frame) {
        String conversationId = frame.path("conversationId").asText();
        String foreign = inAccount(party, conversationId, "typing in conversation");
        if (foreign != null) {
            return foreign;
        }
        if (frame.path("privateNote").asBoolean() && party instanceof Customer) {
            return "private-note typing sent to a customer";
        }
        Conversation conversation = world.conversations.get(UUID.fromString(conversationId));
        Long since = world.lastTyping.get(conversation.id);
        long from = since == null ? conversation.createdAt : since;
        return World.couldSee(party, conversation.scopesDuring(from, world.clock), from, world.clock) ? null
                : "typing in conversation " + conversationId + " outside the receiver's scope";
    }

    private String inAccount(Party party, String id, String what) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return what + " with id '" + id + "'";
        }
        Account owner = world.accountOf.get(uuid);
        if (owner == party.account) {
            return null;
        }
        return "LEAK: " + what + " " + id + " of " + (owner == null ? "an account outside this run" : "account " + owner.id())
                + " sent to " + party.label + " of account " + party.account.id();
    }
}
